/** "Open Example Workspace": copies the bundled examples to a folder the user picks and opens it. */
import * as vscode from 'vscode';

export async function openExampleWorkspace(context: vscode.ExtensionContext): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Folder to copy the Scaling Lens examples into',
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Copy examples here',
  });
  const parent = picked?.[0];
  if (!parent) return;
  const target = vscode.Uri.joinPath(parent, 'scaling-lens-examples');
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'examples'), target, { overwrite: true });
  await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
}
