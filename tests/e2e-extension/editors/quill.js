// Quill (LinkedIn-like): the editor's own DOM and history.
import Quill from 'quill';
const quill = new Quill('#editor', { theme: undefined, placeholder: 'Start a post' });
quill.root.id = 'composer';
quill.root.setAttribute('aria-label', 'Text editor for creating content');
window.editorText = () => quill.getText().replace(/\n$/, '');
