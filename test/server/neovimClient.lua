-- A second, independent LSP client for the Stepwise language server: Neovim's built-in client,
-- run headless by neovim.test.ts. It opens one pipeline file, asks for its code lenses, waits for
-- its diagnostics and writes both as JSON to the file named by STEPWISE_OUT.

local server = os.getenv('STEPWISE_SERVER')
local file = os.getenv('STEPWISE_FILE')
local root = os.getenv('STEPWISE_ROOT')
local out = os.getenv('STEPWISE_OUT')
local warehouse = os.getenv('STEPWISE_WAREHOUSE')

local function write(value)
  local handle = assert(io.open(out, 'w'))
  handle:write(vim.fn.json_encode(value))
  handle:close()
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local diagnostics = nil
  local id = vim.lsp.start_client({
    name = 'stepwise',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    settings = { stepwise = { warehouse = warehouse } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(_, result)
        if result and vim.uri_to_fname(result.uri) == file then
          diagnostics = result.diagnostics
        end
      end,
    },
  })
  assert(id, 'the language server did not start')
  vim.lsp.buf_attach_client(buf, id)
  local started = vim.wait(15000, function()
    local client = vim.lsp.get_client_by_id(id)
    return client ~= nil and client.initialized
  end, 20)
  assert(started, 'the language server did not initialize within 15 s')

  local response = vim.lsp.buf_request_sync(buf, 'textDocument/codeLens', {
    textDocument = vim.lsp.util.make_text_document_params(buf),
  }, 15000)
  assert(response and response[id], 'no answer to textDocument/codeLens')
  assert(not response[id].err, vim.inspect(response[id].err))
  local lenses = {}
  for _, lens in ipairs(response[id].result or {}) do
    table.insert(lenses, {
      line = lens.range.start.line,
      title = lens.command.title,
      command = lens.command.command,
      arguments = lens.command.arguments,
    })
  end

  local published = vim.wait(15000, function()
    return diagnostics ~= nil
  end, 20)
  assert(published, 'no diagnostics were published within 15 s')
  local found = {}
  for _, d in ipairs(diagnostics) do
    table.insert(found, {
      line = d.range.start.line,
      character = d.range.start.character,
      message = d.message,
      severity = d.severity,
      code = d.code,
    })
  end

  vim.lsp.stop_client(id)
  write({ lenses = lenses, diagnostics = found })
end

local ok, err = pcall(run)
if ok then
  vim.cmd('qa!')
else
  write({ error = tostring(err) })
  vim.cmd('cq!')
end
