-- slicels for Neovim 0.7 and later, without plugins.
--
--   require("slicels").setup({ cmd = { "slicels", "serve" } })
--
-- Put this file on the runtimepath as lua/slicels.lua (or `dofile` it). It starts one slicels
-- per inmanta project (the nearest folder with a project.yml, else with files/git-ops-config.yml)
-- and attaches every YAML or JSON buffer inside it. Files outside a project are left alone.
local M = {}

local clients = {} -- project root -> client id

local function project_root(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local found = vim.fn.findfile("project.yml", dir .. ";")
  if found == "" then
    found = vim.fn.findfile("files/git-ops-config.yml", dir .. ";")
    if found == "" then
      return nil
    end
    return vim.fn.fnamemodify(found, ":p:h:h")
  end
  return vim.fn.fnamemodify(found, ":p:h")
end

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { "slicels", "serve" }
  local group = vim.api.nvim_create_augroup("slicels", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = { "yaml", "json" },
    callback = function(args)
      local path = vim.api.nvim_buf_get_name(args.buf)
      if path == "" then
        return
      end
      local root = project_root(path)
      if root == nil then
        return
      end
      local id = clients[root]
      if id == nil or vim.lsp.get_client_by_id(id) == nil then
        id = vim.lsp.start_client({
          name = "slicels",
          cmd = cmd,
          root_dir = root,
          workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
          settings = opts.settings or {},
          on_attach = opts.on_attach,
        })
        clients[root] = id
      end
      if id ~= nil then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end

return M
