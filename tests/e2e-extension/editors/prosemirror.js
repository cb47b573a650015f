// ProseMirror (Bluesky/TipTap-like): schema-basic, history, base keymap.
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { schema } from 'prosemirror-schema-basic';
import { history, undo, redo } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap } from 'prosemirror-commands';
const state = EditorState.create({ schema, plugins: [history(), keymap({ 'Mod-z': undo, 'Mod-y': redo, 'Shift-Mod-z': redo }), keymap(baseKeymap)] });
const view = new EditorView(document.querySelector('#editor'), {
  state, attributes: { id: 'composer', 'aria-label': "What's up?", role: 'textbox' },
});
window.editorText = () => view.state.doc.textBetween(0, view.state.doc.content.size, '\n\n');
