-- Headless Neovim scenarios on EditorConfigs/neovim/slicels.lua, set up as its README says
-- (setup() without on_attach: the buffer-local defaults). Each scenario drives the editor
-- through keys and commands as a user would, then writes what it saw as JSON to
-- $SLICELS_TEST_OUTPUT and quits. $SLICELS_TEST_SCENARIO picks one:
--   hover     K on a key: the text of the floating window
--   complete  a new line under the ports list ($SLICELS_TEST_TYPE, default two spaces), <C-x><C-o>,
--             the item labelled $SLICELS_TEST_WANT accepted, :w
--   update    :SlicelsUpdate, then :w
--   preview   :SlicelsPreview: the scratch buffer it opens
--   quickfix  <leader>ca on a diagnostic, the near-miss rename chosen, :w
--   plan      :SlicelsPlan: the scratch buffer it opens
--   attached  the buffer's options, key maps and commands
--   lens      <leader>cl on the first code lens line, the lens titled $SLICELS_TEST_WANT chosen
--   edited    $SLICELS_TEST_STEP ("lens": <leader>cl, the lens titled $SLICELS_TEST_WANT chosen;
--             "compile": :SlicelsCompile), then, once the buffer's text changed, :w
vim.cmd("filetype on")
local repo = vim.env.SLICELS_REPO
local output = vim.env.SLICELS_TEST_OUTPUT
local scenario = vim.env.SLICELS_TEST_SCENARIO
local slicels = dofile(repo .. "/EditorConfigs/neovim/slicels.lua")
local setup = { cmd = { vim.env.SLICELS_BIN, "serve" } }
if vim.env.SLICELS_TEST_SETTINGS then
  setup.settings = vim.fn.json_decode(vim.env.SLICELS_TEST_SETTINGS)
end
if vim.env.SLICELS_TEST_SNIPPETS then
  -- Capabilities of a completion plugin that expands snippets (nvim-cmp and the like).
  setup.capabilities = vim.lsp.protocol.make_client_capabilities()
  setup.capabilities.textDocument.completion.completionItem.snippetSupport = true
end
if vim.env.SLICELS_TEST_RECORD then
  -- What Neovim sends to the server, recorded on the way.
  setup.cmd = { "python3", repo .. "/Tests/Editors/record_client_messages.py", vim.env.SLICELS_TEST_RECORD, vim.env.SLICELS_BIN, "serve" }
end
slicels.setup(setup)

local function finish(result)
  result.messages = vim.api.nvim_exec("messages", true)
  local file = io.open(output, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

-- Calls `step` every 100 ms until it returns a result (then `done(result)`), at most 60 s
-- (a hang guard: a loaded machine can take long for the first analysis).
local function wait(what, step, done, describe)
  local deadline = vim.loop.now() + 60000
  local function poll()
    local ok, result = pcall(step)
    if not ok then
      finish({ error = what .. ": " .. tostring(result) })
      return
    end
    if result ~= nil then
      local finished, problem = pcall(done, result)
      if not finished then
        finish({ error = what .. ": " .. tostring(problem) })
      end
    elseif vim.loop.now() > deadline then
      finish({ error = "timed out waiting for " .. what, seen = describe and describe() })
    else
      vim.defer_fn(poll, 100)
    end
  end
  vim.defer_fn(poll, 100)
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function goto_text(pattern)
  local line = vim.fn.search(pattern, "cw")
  assert(line > 0, "no line matches " .. pattern)
end

local function scratch_buffers()
  local found = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    local name = vim.api.nvim_buf_get_name(buf)
    if name:find("^slicels://") then
      table.insert(found, {
        name = name,
        text = buffer_text(buf),
        modifiable = vim.api.nvim_buf_get_option(buf, "modifiable"),
        readonly = vim.api.nvim_buf_get_option(buf, "readonly"),
        buftype = vim.api.nvim_buf_get_option(buf, "buftype"),
        shown = vim.fn.bufwinid(buf) ~= -1,
        clients = #vim.lsp.buf_get_clients(buf),
      })
    end
  end
  if #found > 0 then
    return found
  end
  return nil
end

local scenarios = {}

function scenarios.hover()
  goto_text("^mtu:")
  vim.api.nvim_feedkeys("K", "mx", false)
  wait("a hover window", function()
    for _, window in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(window).relative ~= "" then
        return buffer_text(vim.api.nvim_win_get_buf(window))
      end
    end
  end, function(text)
    finish({ hover = text })
  end)
end

function scenarios.complete()
  goto_text("^  - {switch: sw1, port: 3}")
  -- A new line under the list, at the items' indentation (<C-u> removes the autoindent).
  vim.api.nvim_input("A<CR><C-u>" .. (vim.env.SLICELS_TEST_TYPE or "  ") .. "<C-x><C-o>")
  local wanted = vim.env.SLICELS_TEST_WANT
  wait("the completion item " .. wanted, function()
    local info = vim.fn.complete_info({ "items", "selected" })
    for index, item in ipairs(info.items) do
      if item.abbr == wanted then
        return { index = index - 1, selected = info.selected, items = info.items, menu = vim.fn.pumvisible() == 1 }
      end
    end
    return nil
  end, function(menu)
    local keys = "<Esc>"
    if menu.menu then
      -- <C-n> from the selected item (-1: none) to the wanted one, then accept it.
      keys = string.rep("<C-n>", menu.index - menu.selected) .. "<C-y><Esc>"
    else
      -- A single match is inserted at once, without a menu: leaving insert mode keeps it.
      assert(#menu.items == 1, "several items and no menu")
    end
    vim.api.nvim_input(keys)
    local labels = {}
    for _, item in ipairs(menu.items) do
      table.insert(labels, { abbr = item.abbr, word = item.word })
    end
    wait("the end of insert mode", function()
      if vim.fn.mode() == "n" and vim.fn.pumvisible() == 0 then
        return true
      end
    end, function()
      vim.cmd("write")
      finish({ items = labels, text = buffer_text(0), cursor = vim.api.nvim_win_get_cursor(0) })
    end)
  end, function()
    return { menu = vim.fn.complete_info({ "items" }).items, line = vim.api.nvim_get_current_line() }
  end)
end

function scenarios.preview()
  vim.cmd("SlicelsPreview")
  wait("a preview buffer", scratch_buffers, function(found)
    finish({ buffers = found, current = vim.api.nvim_buf_get_name(0) })
  end)
end

function scenarios.plan()
  vim.cmd("SlicelsPlan")
  wait("a plan buffer", scratch_buffers, function(found)
    finish({ buffers = found })
  end)
end

-- vim.ui.select picks the item whose title holds `wanted`; every title offered goes to `offered`.
local function choose_titled(wanted, offered)
  vim.ui.select = function(items, opts, on_choice)
    for index, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(offered, title)
      if title:find(wanted, 1, true) then
        on_choice(item, index)
        return
      end
    end
    on_choice(nil, nil)
  end
end

function scenarios.quickfix()
  local wanted = vim.env.SLICELS_TEST_WANT
  goto_text(vim.env.SLICELS_TEST_AT)
  local offered = {}
  -- The menu of code actions: choose the wanted one, as a user would.
  choose_titled(wanted, offered)
  local before = buffer_text(0)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<leader>ca", true, false, true), "mx", false)
  wait("the quick fix's edit", function()
    if buffer_text(0) ~= before then
      return true
    end
  end, function()
    vim.cmd("write")
    finish({ offered = offered, text = buffer_text(0) })
  end)
end

function scenarios.lens()
  local wanted = vim.env.SLICELS_TEST_WANT
  local offered = {}
  choose_titled(wanted, offered)
  local source = vim.api.nvim_get_current_buf()
  wait("the code lenses", function()
    local lenses = vim.lsp.codelens.get(source)
    if #lenses > 0 then
      return lenses
    end
  end, function(lenses)
    vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<leader>cl", true, false, true), "mx", false)
    wait("the lens' effect", function()
      if vim.api.nvim_get_current_buf() ~= source then
        return true
      end
    end, function()
      finish({
        offered = offered,
        current = vim.api.nvim_buf_get_name(0),
        cursor = vim.api.nvim_win_get_cursor(0),
        buffers = scratch_buffers(),
      })
    end, function()
      return offered
    end)
  end)
end

function scenarios.edited()
  local wanted = vim.env.SLICELS_TEST_WANT or ""
  local offered = {}
  choose_titled(wanted, offered)
  local source = vim.api.nvim_get_current_buf()
  local before = buffer_text(source)
  local function await_edit()
    wait("the buffer's new text", function()
      if buffer_text(source) ~= before then
        return true
      end
    end, function()
      vim.cmd("write")
      finish({ offered = offered, text = buffer_text(source) })
    end, function()
      return offered
    end)
  end
  if vim.env.SLICELS_TEST_STEP == "compile" then
    vim.cmd("SlicelsCompile")
    await_edit()
    return
  end
  wait("the code lenses", function()
    local lenses = vim.lsp.codelens.get(source)
    for _, lens in ipairs(lenses) do
      if lens.command and lens.command.title:find(wanted, 1, true) then
        return lenses
      end
    end
  end, function(lenses)
    vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<leader>cl", true, false, true), "mx", false)
    await_edit()
  end)
end

function scenarios.update()
  local before = buffer_text(0)
  vim.cmd("SlicelsUpdate")
  wait("the update compile's edit", function()
    if buffer_text(0) ~= before then
      return true
    end
  end, function()
    vim.cmd("write")
    finish({ text = buffer_text(0) })
  end)
end

-- What attaching gave the buffer: the defaults of setup() without on_attach.
function scenarios.attached()
  local client = vim.lsp.buf_get_clients(0)
  local id = next(client)
  local maps = {}
  for _, lhs in ipairs({ "K", "gd", "<Leader>ca", "<Leader>cl" }) do
    local map = vim.fn.maparg(lhs, "n", false, true)
    maps[lhs] = map.buffer == 1
  end
  local commands = vim.api.nvim_buf_get_commands(0, {})
  finish({
    omnifunc = vim.bo.omnifunc,
    maps = maps,
    commands = vim.tbl_keys(commands),
    severity_sort = vim.diagnostic.config(nil, vim.lsp.diagnostic.get_namespace(id)).severity_sort == true,
  })
end

vim.api.nvim_create_autocmd("VimEnter", {
  -- nested: the :edit below must fire FileType, which starts slicels.
  nested = true,
  callback = function()
    vim.cmd("edit " .. vim.fn.fnameescape(vim.env.SLICELS_TEST_FILE))
    -- The server is ready once it published the file's first diagnostics (with the code
    -- $SLICELS_TEST_READY when set; "attached": once the buffer is attached).
    local ready_code = vim.env.SLICELS_TEST_READY
    wait("slicels' first diagnostics", function()
      if #vim.lsp.buf_get_clients(0) == 0 then
        return nil
      end
      if ready_code == "attached" then
        -- on_attach ran: the buffer has its commands.
        return vim.api.nvim_buf_get_commands(0, {}).SlicelsPreview ~= nil or nil
      end
      for _, d in ipairs(vim.diagnostic.get(0)) do
        if ready_code == nil or ready_code == "" or d.code == ready_code then
          return true
        end
      end
    end, function()
      local ok, problem = pcall(scenarios[scenario])
      if not ok then
        finish({ error = tostring(problem) })
      end
    end)
  end,
})
