// Starts `crmtpl lsp` for XML files that hold a Yeastar CRM/helpdesk template.
//
// A file is a template when its root element is <Information> (the format's root); other
// XML files are left to other extensions. The server itself lints, explains and fixes.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

const TEMPLATE_ROOT = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<Information[\s>]/;

let client;

function holdsTemplate(document) {
  return document.languageId === "xml" && TEMPLATE_ROOT.test(document.getText(new vscode.Range(0, 0, 200, 0)));
}

function start(context) {
  if (client) {
    return;
  }
  const settings = vscode.workspace.getConfiguration("crmtpl");
  const [command, ...args] = settings.get("command", ["crmtpl", "lsp"]);
  client = new LanguageClient(
    "crmtpl",
    "crmtpl",
    { command, args },
    {
      // Every XML file is sent; the server answers for templates and stays quiet otherwise.
      documentSelector: [{ scheme: "file", language: "xml" }, { scheme: "untitled", language: "xml" }],
      initializationOptions: { debounce: settings.get("debounce", 0.15) },
    }
  );
  context.subscriptions.push(client);
  client.start();
}

function activate(context) {
  const check = (document) => {
    if (holdsTemplate(document)) {
      start(context);
    }
  };
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
