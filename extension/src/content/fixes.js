// Fixes (insert the school's disclaimer, remove a phrase).
import { editableRange } from './text-model.js';

// Composer methods (mixed into Composer.prototype by composer.js).
export class FixMethods {
  // A fix goes through the editor's own input path, so the editor's state stays right and
  // Ctrl+Z undoes it: select the range, then insertText (which fires beforeinput/input).
  async applyFix(start, end, text) {
    const node = this.node;
    if (this.checkedText !== this.text()) return false;  // stale offsets: wait for the next check
    node.focus();
    if (this.kind === 'text') {
      node.setSelectionRange(start, end);
      let ok = false;
      try { ok = document.execCommand('insertText', false, text); } catch { ok = false; }
      if (!ok || node.value.slice(start, start + text.length) !== text) {
        if (!ok) {
          node.setRangeText(text, start, end, 'end');
          node.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
        }
      }
    } else {
      const range = editableRange(this.checkedModel, node, start, end);
      const sel = node.getRootNode().getSelection?.() || document.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      // Editors that keep their own selection (Lexical, Draft.js) pick it up from selectionchange,
      // which is a task: let it run before the insertion.
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => requestAnimationFrame(r));
      if (text) {
        // Rich editors (Lexical, Draft.js, ProseMirror, Quill) take multi-line text best as a
        // paste, which they turn into their own transaction (and undo step). When nothing on
        // the page handles the paste, the browser's own insertText does it (plain editables).
        let handled = false;
        if (text.includes('\n')) {
          const data = new DataTransfer();
          data.setData('text/plain', text);
          handled = !node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
        }
        if (!handled) document.execCommand('insertText', false, text);
      } else {
        document.execCommand('delete', false);
      }
    }
    this.togglePanel(false);
    this.schedule(true);
    return true;
  }
}
