-- Headless Neovim (0.7+) as an LSP client of `crmtpl lsp`: open the file given on the
-- command line, wait for the server's diagnostics, write them as JSON, quit.
-- CRMTPL_LSP_CMD: the server command as a JSON list; CRMTPL_NVIM_OUT: where to write.
local command = vim.fn.json_decode(os.getenv("CRMTPL_LSP_CMD"))
local out = os.getenv("CRMTPL_NVIM_OUT")

local function write(result)
  local handle = assert(io.open(out, "w"))
  handle:write(vim.fn.json_encode(result))
  handle:close()
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    vim.bo.filetype = "xml"
    local buffer = vim.api.nvim_get_current_buf()
    local client = vim.lsp.start_client({
      name = "crmtpl",
      cmd = command,
      root_dir = vim.fn.getcwd(),
      init_options = { debounce = 0 },
    })
    vim.lsp.buf_attach_client(buffer, client)
    local arrived = vim.wait(20000, function()
      return #vim.diagnostic.get(buffer) > 0
    end, 50)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buffer)) do
      local lsp = (d.user_data or {}).lsp or {}
      table.insert(found, {
        lnum = d.lnum,
        col = d.col,
        severity = d.severity,
        message = d.message,
        code = d.code or lsp.code,
      })
    end
    write({ arrived = arrived, diagnostics = found })
    vim.cmd("qa!")
  end,
})
