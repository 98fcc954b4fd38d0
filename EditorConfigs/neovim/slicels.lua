-- slicels for Neovim 0.7 and later, without plugins.
--
--   require("slicels").setup({ cmd = { "slicels", "serve" } })
--
-- Put this file on the runtimepath as lua/slicels.lua (or `dofile` it). It starts one slicels
-- per inmanta project (the nearest folder with a project.yml, else with files/git-ops-config.yml)
-- and attaches every YAML or JSON buffer inside it. Files outside a project are left alone.
--
-- setup() options (all optional):
--   cmd          the server's command line (default { "slicels", "serve" })
--   cli          the command line prefix for CLI subcommands (default: cmd without "serve")
--   settings     the server settings, e.g. { slicels = { diagnostics = { hints = false } } }
--   on_attach    function(client, bufnr); when given, replaces the buffer-local key maps and
--                omnifunc below (call require("slicels").buffer_defaults(client, bufnr) to keep them)
--   capabilities client capabilities (default: Neovim's, without snippet support)
--
-- In every attached buffer: diagnostics sorted by severity, code lenses refreshed on attach,
-- save, leaving insert mode and new diagnostics, and the commands :SlicelsUpdate,
-- :SlicelsPreview, :SlicelsPlan and :SlicelsCompile (the project's real update compile). Without an on_attach of yours, also: omnifunc (<C-x><C-o>,
-- multi-line items included), K hover, gd definition, <leader>ca code actions (quick fixes,
-- renames of near-miss keys), <leader>cl run the code lens of the line, [d and ]d diagnostics.
--
-- Neovim has no window/showDocument: the preview and the lenses that open files are run by
-- this file, which shows the preview in a read-only scratch buffer and opens files at the range.
local M = {}

local clients = {} -- project root -> client id (the 0.7 path, without vim.lsp.start)
local options = {}

--- The inmanta project around a file: the nearest folder with project.yml, else the folder
--- above files/git-ops-config.yml; nil outside a project.
function M.project_root(path)
  if path == nil or path == "" then
    return nil
  end
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

local function notify(message, level)
  vim.notify("slicels: " .. message, level or vim.log.levels.INFO)
end

local function slicels_client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local attached
  if vim.lsp.get_clients then
    attached = vim.lsp.get_clients({ bufnr = bufnr, name = "slicels" })
  else
    attached = vim.lsp.buf_get_clients(bufnr)
  end
  for _, client in pairs(attached) do
    if client.name == "slicels" then
      return client
    end
  end
  return nil
end

--- Shows `text` in a read-only scratch buffer named slicels://<name> in a split (reused when
--- it is already open).
function M.show_scratch(name, text, filetype)
  local bufname = "slicels://" .. name
  local buf
  for _, candidate in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(candidate) == bufname then
      buf = candidate
    end
  end
  if buf == nil then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, bufname)
  end
  -- buftype first: the FileType autocommand below must not take a scratch buffer for a slice.
  vim.api.nvim_buf_set_option(buf, "buftype", "nofile")
  vim.api.nvim_buf_set_option(buf, "swapfile", false)
  vim.api.nvim_buf_set_option(buf, "bufhidden", "hide")
  vim.api.nvim_buf_set_option(buf, "modifiable", true)
  local lines = vim.split(text, "\n", { plain = true })
  if lines[#lines] == "" then
    table.remove(lines)
  end
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.api.nvim_buf_set_option(buf, "modifiable", false)
  vim.api.nvim_buf_set_option(buf, "readonly", true)
  vim.api.nvim_buf_set_option(buf, "modified", false)
  if filetype then
    vim.api.nvim_buf_set_option(buf, "filetype", filetype)
  end
  local window = vim.fn.bufwinid(buf)
  if window == -1 then
    vim.cmd("split")
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(window)
  end
  return buf
end

--- Runs slicels.previewPurged for the slice file `uri` and shows the merged view it returns.
local function preview(client, uri, bufnr)
  local params = { command = "slicels.previewPurged", arguments = { uri } }
  client.request("workspace/executeCommand", params, function(err, result)
    if err then
      notify("preview failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(result) ~= "table" or type(result.text) ~= "string" then
      return -- shown by the client through window/showDocument, or nothing to show
    end
    local buf = M.show_scratch(result.name or "preview.merged.json", result.text, "json")
    -- The counts come as the server's window/showMessage.
    vim.api.nvim_buf_set_var(buf, "slicels_preview_title", result.title or "")
  end, bufnr)
end

--- Opens `uri` with the cursor at the start of `range` (LSP positions in `encoding`).
local function open_location(uri, range, encoding)
  if range == nil then
    vim.cmd("edit " .. vim.fn.fnameescape(vim.uri_to_fname(uri)))
    return
  end
  local location = { uri = uri, range = range }
  if vim.lsp.util.show_document then
    vim.lsp.util.show_document(location, encoding, { focus = true })
  else
    vim.lsp.util.jump_to_location(location, encoding)
  end
end

-- Client-side handlers of the server's commands: code lenses and code actions run them
-- instead of asking the server. In vim.lsp.commands rather than the client's `commands`, which
-- nvim-lspconfig takes for user commands.
local function register_commands()
  local handlers = {
    ["slicels.previewPurged"] = function(command, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local uri = command.arguments and command.arguments[1]
      if client and uri then
        preview(client, uri, ctx.bufnr)
      end
    end,
    ["slicels.openFile"] = function(command, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local arguments = command.arguments or {}
      if arguments[1] then
        open_location(arguments[1], arguments[2], client and client.offset_encoding or "utf-16")
      end
    end,
  }
  for name, handler in pairs(handlers) do
    vim.lsp.commands[name] = handler
  end
end

-- Completion ---------------------------------------------------------------------------------

-- LSP snippet syntax to the text a plain insertion gives: placeholders keep their text, choices
-- their first value, tab stops vanish.
local function plain_text(snippet)
  local text = snippet:gsub("%${%d+:([^}]*)}", "%1")
  text = text:gsub("%${%d+|([^,|}]*)[^}]*}", "%1")
  text = text:gsub("%${%d+}", ""):gsub("%$%d+", "")
  text = text:gsub("\\([$}\\])", "%1")
  return text
end

local function item_text(item)
  local text = item.label
  if type(item.textEdit) == "table" and item.textEdit.newText then
    text = item.textEdit.newText
  elseif type(item.insertText) == "string" and item.insertText ~= "" then
    text = item.insertText
  end
  if item.insertTextFormat == 2 then
    text = plain_text(text)
  end
  return text
end

local function byte_column(line, character, encoding)
  if encoding == "utf-8" then
    return math.min(character, #line)
  end
  local ok, column
  if vim.fn.has("nvim-0.11") == 1 then
    ok, column = pcall(vim.str_byteindex, line, encoding, character, false)
  else
    ok, column = pcall(vim.str_byteindex, line, character, encoding == "utf-16")
  end
  if ok then
    return column
  end
  return #line
end

-- Vim's completion inserts a word on one line: a newline in it becomes a NUL (^@) in the
-- buffer. So a multi-line item offers its first line as the word, and CompleteDone replaces
-- that word with the whole text, one buffer line per text line.
local function complete_done(bufnr)
  local completed = vim.v.completed_item
  local data = type(completed) == "table" and completed.user_data
  if type(data) ~= "table" or type(data.slicels_lines) ~= "table" then
    return
  end
  local row, start = data.slicels_row, data.slicels_start
  local word = completed.word or ""
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
  if line:sub(start + 1, start + #word) ~= word then
    return -- the line changed since: leave it as it is
  end
  local lines = data.slicels_lines
  vim.api.nvim_buf_set_text(bufnr, row, start, row, start + #word, lines)
  local last = row + #lines - 1
  local column = #lines == 1 and start + #lines[1] or #lines[#lines]
  vim.api.nvim_win_set_cursor(0, { last + 1, column })
  local client = vim.lsp.get_client_by_id(data.slicels_client or -1)
  if type(data.slicels_additional) == "table" and client then
    -- Edits before the item (a JSON comma), in the positions of the text before completion.
    vim.lsp.util.apply_text_edits(data.slicels_additional, bufnr, client.offset_encoding)
  end
end

--- 'omnifunc' for slice buffers: like vim.lsp.omnifunc, with multi-line items (scaffolds of new
--- list items and objects) inserted as lines instead of NUL bytes.
function M.omnifunc(findstart, base)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = slicels_client(bufnr)
  if findstart == 1 then
    if client == nil then
      return -3
    end
    local cursor = vim.api.nvim_win_get_cursor(0)
    local row, column = cursor[1] - 1, cursor[2]
    local line = vim.api.nvim_get_current_line()
    local keyword_start = vim.fn.match(line:sub(1, column), "\\k*$")
    local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
    client.request("textDocument/completion", params, function(err, result)
      if err or result == nil or vim.fn.mode() ~= "i" then
        return
      end
      local items = result.items or result
      local start = keyword_start
      for _, item in ipairs(items) do
        if type(item.textEdit) == "table" then
          local range = item.textEdit.range or item.textEdit.insert
          if range and range.start.line == row then
            start = math.min(start, byte_column(line, range.start.character, client.offset_encoding))
          end
        end
      end
      local prefix = line:sub(start + 1, column)
      local matches = {}
      for _, item in ipairs(items) do
        local text = item_text(item)
        local item_start = start
        if type(item.textEdit) == "table" then
          local range = item.textEdit.range or item.textEdit.insert
          if range and range.start.line == row then
            item_start = byte_column(line, range.start.character, client.offset_encoding)
          end
        end
        -- Characters between the common start and this item's own start stay as they are.
        text = line:sub(start + 1, item_start) .. text
        local lines = vim.split(text, "\n", { plain = true })
        local word = lines[1]
        local filter = item.filterText or text
        if prefix == "" or vim.startswith(filter, prefix) or vim.startswith(word, prefix) then
          local data = { slicels_client = client.id }
          if #lines > 1 or item.additionalTextEdits then
            data.slicels_lines = lines
            data.slicels_row = row
            data.slicels_start = start
            data.slicels_additional = item.additionalTextEdits
          end
          local info = item.documentation
          if type(info) == "table" then
            info = info.value
          end
          table.insert(matches, {
            word = word,
            abbr = item.label,
            menu = item.detail or "",
            info = type(info) == "string" and info or "",
            kind = vim.lsp.protocol.CompletionItemKind[item.kind] or "",
            icase = 1,
            dup = 1,
            empty = 1,
            user_data = data,
            sort = item.sortText or item.label,
          })
        end
      end
      table.sort(matches, function(a, b)
        return a.sort < b.sort
      end)
      for _, match in ipairs(matches) do
        match.sort = nil
      end
      vim.fn.complete(start + 1, matches)
    end, bufnr)
    -- -2: stay in completion mode; complete() above fills the menu when the answer comes.
    return -2
  end
  return {}
end

-- Commands -----------------------------------------------------------------------------------

local function require_client()
  local client = slicels_client(0)
  if client == nil then
    notify("this buffer has no slicels server", vim.log.levels.WARN)
  end
  return client
end

--- :SlicelsUpdate: applies the "Run update compile" source action to the buffer.
function M.update()
  local client = require_client()
  if client == nil then
    return
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, only = { "source.slicels.update" } }
  client.request("textDocument/codeAction", params, function(err, actions)
    if err then
      notify("update failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    for _, action in ipairs(actions or {}) do
      if action.kind == "source.slicels.update" and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        return
      end
    end
    notify("the update compile changes nothing in this file (or the file is no source slice)")
  end, bufnr)
end

--- :SlicelsCompile: the project's real compile (slicels.yml's compile.command, `inmanta compile`
--- by default) in update mode, run by the server; it refuses while a buffer of the project has
--- unsaved changes. The server reports the outcome (window/showMessage) and re-reads what changed;
--- buffers of changed files are reloaded here (:checktime).
function M.compile()
  local client = require_client()
  if client == nil then
    return
  end
  local bufnr = vim.api.nvim_get_current_buf()
  notify("running the update compile (inmanta)…")
  local params = { command = "slicels.inmantaUpdate", arguments = { vim.uri_from_bufnr(bufnr) } }
  client.request("workspace/executeCommand", params, function(err, result)
    if err then
      notify("update compile (inmanta): " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    vim.cmd("checktime")
    if result and result.status == "failed" and result.output then
      M.show_scratch("update compile output", result.output, nil)
    end
  end, bufnr)
end

--- :SlicelsPreview: the merged view of the buffer's slice after the next sync, purged elements
--- included, in a read-only scratch buffer.
function M.preview()
  local client = require_client()
  if client ~= nil then
    preview(client, vim.uri_from_bufnr(0), vim.api.nvim_get_current_buf())
  end
end

local function cli_command()
  if options.cli then
    return vim.deepcopy(options.cli)
  end
  local command = vim.deepcopy(options.cmd or { "slicels", "serve" })
  if command[#command] == "serve" then
    table.remove(command)
  end
  return command
end

--- :SlicelsPlan: `slicels plan` for the buffer's project, in a scratch buffer.
function M.plan()
  local root = M.project_root(vim.api.nvim_buf_get_name(0)) or M.project_root(vim.fn.getcwd() .. "/x")
  if root == nil then
    notify("not inside an inmanta project", vim.log.levels.WARN)
    return
  end
  local command = cli_command()
  vim.list_extend(command, { "plan", "--no-color", "--project", root })
  local output = {}
  local function collect(_, data)
    for _, line in ipairs(data or {}) do
      table.insert(output, line)
    end
  end
  local job = vim.fn.jobstart(command, {
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = collect,
    on_stderr = collect,
    on_exit = function(_, code)
      local text = table.concat(output, "\n")
      if code ~= 0 then
        text = text .. string.format("\n(slicels plan exited with status %d)", code)
      end
      M.show_scratch("plan " .. vim.fn.fnamemodify(root, ":t"), text, nil)
    end,
  })
  if job <= 0 then
    notify("could not run " .. table.concat(command, " "), vim.log.levels.ERROR)
  end
end

-- Attaching ----------------------------------------------------------------------------------

--- The buffer-local key maps and omnifunc setup() installs when no on_attach is given.
function M.buffer_defaults(_, bufnr)
  vim.api.nvim_buf_set_option(bufnr, "omnifunc", "v:lua.require'slicels'.omnifunc")
  local function map(lhs, rhs, description)
    vim.keymap.set("n", lhs, rhs, { buffer = bufnr, silent = true, desc = "slicels: " .. description })
  end
  map("K", vim.lsp.buf.hover, "hover")
  map("gd", vim.lsp.buf.definition, "go to definition")
  map("<leader>ca", vim.lsp.buf.code_action, "code actions")
  map("<leader>cl", vim.lsp.codelens.run, "run the code lens of the line")
  if vim.diagnostic.jump then -- 0.11 deprecates goto_prev/goto_next
    map("[d", function() vim.diagnostic.jump({ count = -1, float = true }) end, "previous diagnostic")
    map("]d", function() vim.diagnostic.jump({ count = 1, float = true }) end, "next diagnostic")
  else
    map("[d", vim.diagnostic.goto_prev, "previous diagnostic")
    map("]d", vim.diagnostic.goto_next, "next diagnostic")
  end
end

local function refresh_lenses(bufnr)
  if vim.api.nvim_buf_is_loaded(bufnr) and slicels_client(bufnr) then
    vim.api.nvim_buf_call(bufnr, function()
      pcall(vim.lsp.codelens.refresh)
    end)
  end
end

--- What every slice buffer gets, whoever attaches it.
local function attach(client, bufnr, user_on_attach)
  -- The note of a line must not hide its error (signs show one finding per line).
  vim.diagnostic.config({ severity_sort = true }, vim.lsp.diagnostic.get_namespace(client.id))
  local group = vim.api.nvim_create_augroup("slicels_buffer_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "BufEnter", "BufWritePost", "InsertLeave", "DiagnosticChanged" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      refresh_lenses(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd("CompleteDone", {
    group = group,
    buffer = bufnr,
    callback = function()
      complete_done(bufnr)
    end,
  })
  vim.api.nvim_buf_create_user_command(bufnr, "SlicelsUpdate", M.update, { desc = "slicels: run the update compile on this file" })
  vim.api.nvim_buf_create_user_command(bufnr, "SlicelsPreview", M.preview, { desc = "slicels: preview the merged view (purged elements)" })
  vim.api.nvim_buf_create_user_command(bufnr, "SlicelsPlan", M.plan, { desc = "slicels: plan of the project" })
  vim.api.nvim_buf_create_user_command(bufnr, "SlicelsCompile", M.compile, { desc = "slicels: run the project's real update compile (inmanta)" })
  refresh_lenses(bufnr)
  if user_on_attach then
    user_on_attach(client, bufnr)
  else
    M.buffer_defaults(client, bufnr)
  end
end

local function default_capabilities()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  -- Plain text items: Neovim's own completion does not expand snippets.
  local item = capabilities.textDocument.completion.completionItem
  if item then
    item.snippetSupport = false
  end
  -- The preview comes back as text, shown in a read-only scratch buffer on every version
  -- (newer Neovim would open the server's writable temp file instead).
  capabilities.window = capabilities.window or {}
  capabilities.window.showDocument = { support = false }
  return capabilities
end

--- The client configuration, all but root_dir (which each way of starting sets its own way):
--- for vim.lsp.config (0.11+) and nvim-lspconfig (see EditorConfigs/README.md).
function M.client_config(opts)
  opts = opts or {}
  options = opts
  -- v:lua.require'slicels' must find this module even when it was loaded with dofile.
  package.loaded.slicels = package.loaded.slicels or M
  register_commands()
  return {
    name = "slicels",
    cmd = opts.cmd or { "slicels", "serve" },
    filetypes = { "yaml", "json" },
    settings = opts.settings or {},
    capabilities = opts.capabilities or default_capabilities(),
    on_init = function(client)
      -- Neovim 0.7 does not answer workspace/configuration: send the settings.
      client.notify("workspace/didChangeConfiguration", { settings = client.config.settings or {} })
    end,
    on_attach = function(client, bufnr)
      attach(client, bufnr, opts.on_attach)
    end,
  }
end

function M.setup(opts)
  opts = opts or {}
  local config = M.client_config(opts)
  local group = vim.api.nvim_create_augroup("slicels", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = { "yaml", "json" },
    callback = function(args)
      if vim.api.nvim_buf_get_option(args.buf, "buftype") ~= "" then
        return
      end
      local path = vim.api.nvim_buf_get_name(args.buf)
      local root = M.project_root(path)
      if root == nil then
        return
      end
      local client_config = vim.tbl_extend("force", config, {
        root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
      })
      client_config.filetypes = nil
      if vim.lsp.start then
        vim.lsp.start(client_config, { bufnr = args.buf })
        return
      end
      local id = clients[root]
      if id == nil or vim.lsp.get_client_by_id(id) == nil then
        id = vim.lsp.start_client(client_config)
        clients[root] = id
      end
      if id ~= nil then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end

return M
