// Draft.js (X-like), with React 17.
import React from 'react';
import ReactDOM from 'react-dom';
import { Editor, EditorState } from 'draft-js';
let current = EditorState.createEmpty();
function App() {
  const [state, setState] = React.useState(current);
  current = state;
  return React.createElement(Editor, { editorState: state, onChange: setState, ariaLabel: 'Post text', placeholder: "What's happening?" });
}
ReactDOM.render(React.createElement(App), document.querySelector('#editor'), () => {
  document.querySelector('#editor [contenteditable]').id = 'composer';
});
window.editorText = () => current.getCurrentContent().getPlainText('\n');
