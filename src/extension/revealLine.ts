/** Opens a results file at a 1-based line (a point clicked in a plot). */
import * as vscode from 'vscode';

export async function revealLine(file: string, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), {
    viewColumn: vscode.ViewColumn.One,
    preserveFocus: false,
  });
  const position = new vscode.Position(Math.min(line, editor.document.lineCount) - 1, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}
