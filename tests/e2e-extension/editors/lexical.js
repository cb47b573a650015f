// Lexical (Facebook/WhatsApp-like): plain text, history.
import { createEditor, $getRoot } from 'lexical';
import { registerPlainText } from '@lexical/plain-text';
import { registerHistory, createEmptyHistoryState } from '@lexical/history';
const editor = createEditor({ namespace: 'fixture', onError: (e) => { throw e; } });
editor.setRootElement(document.querySelector('#composer'));
registerPlainText(editor);
registerHistory(editor, createEmptyHistoryState(), 300);
window.editorText = () => editor.getEditorState().read(() => $getRoot().getTextContent());
