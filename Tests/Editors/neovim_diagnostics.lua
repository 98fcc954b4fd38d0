-- Headless Neovim test: EditorConfigs/neovim/slicels.lua starts slicels for a slice file; the
-- diagnostics it publishes are written as JSON to $SLICELS_TEST_OUTPUT, then Neovim quits.
-- With -u, Neovim skips the default init that turns filetype detection on.
vim.cmd("filetype on")
local repo = vim.env.SLICELS_REPO
local output = vim.env.SLICELS_TEST_OUTPUT
local slicels = dofile(repo .. "/EditorConfigs/neovim/slicels.lua")
slicels.setup({ cmd = { vim.env.SLICELS_BIN, "serve" } })

local function finish(result)
  local file = io.open(output, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local deadline = vim.loop.now() + 20000
local function poll()
  local diagnostics = vim.diagnostic.get(0)
  local wanted = vim.env.SLICELS_TEST_WANT
  for _, d in ipairs(diagnostics) do
    if d.code == wanted then
      local items = {}
      for _, item in ipairs(diagnostics) do
        table.insert(items, { code = item.code, lnum = item.lnum, col = item.col, end_col = item.end_col, message = item.message, severity = item.severity })
      end
      local clients = {}
      for _, client in pairs(vim.lsp.buf_get_clients(0)) do
        table.insert(clients, client.name)
      end
      finish({ diagnostics = items, clients = clients })
      return
    end
  end
  if vim.loop.now() > deadline then
    finish({ error = "timed out", diagnostics = #diagnostics })
    return
  end
  vim.defer_fn(poll, 100)
end

vim.api.nvim_create_autocmd("VimEnter", {
  -- nested: the :edit below must fire FileType, which starts slicels.
  nested = true,
  callback = function()
    vim.cmd("edit " .. vim.fn.fnameescape(vim.env.SLICELS_TEST_FILE))
    vim.defer_fn(poll, 100)
  end,
})
