// The findings panel (keyboard-operable, opened from the badge) and the confirm/block dialog.
import { t } from './registry.js';
import { el } from './dom.js';

// Composer methods (mixed into Composer.prototype by composer.js).
export class PanelMethods {
  // -- the panel --
  // An overlay showing its panel or dialog goes above the other composers' overlays.
  raise() {
    const up = this.panelOpen || !this.dialog.hidden;
    this.overlay.style.zIndex = up ? '2147483647' : '';
  }

  togglePanel(open = !this.panelOpen) {
    this.panelOpen = open;
    this.raise();
    this.panel.hidden = !open;
    this.badge.setAttribute('aria-expanded', String(open));
    if (open) {
      this.fillPanel();
      this.reposition();
      this.panel.querySelector('button')?.focus();
    } else {
      this.reposition();
    }
  }

  onBadgeKey(e) {
    if (e.key === 'Escape' && this.panelOpen) { e.preventDefault(); this.togglePanel(false); this.node.focus(); }
  }

  onPanelKey(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.togglePanel(false);
      this.node.focus();
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const buttons = [...this.panel.querySelectorAll('button')];
      const i = buttons.indexOf(this.overlay.shadowRoot.activeElement);
      const next = buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length];
      if (next) { e.preventDefault(); next.focus(); }
    }
  }

  findingItem(f, withFixes) {
    const li = el('li', { 'data-rule': f.rule, 'data-category': f.category },
      el('div', { class: `sev ${f.severity}`, text: t(`severity_${f.severity}`) }),
      el('div', { class: 'msg', text: f.message }),
      f.policyRef ? el('div', { class: 'ref', text: t('policyClause', [f.policyRef]) }) : null);
    if (withFixes) {
      const actions = el('div', { class: 'actions' });
      if (f.fix) {
        actions.append(el('button', { class: 'act primary fix', type: 'button', 'data-fix': f.rule, text: f.fix.label,
          onclick: () => this.applyFix(f.fix.start, f.fix.end, f.fix.text) }));
      } else if (f.category !== 'disclaimer' && f.end > f.start) {
        actions.append(el('button', { class: 'act remove', type: 'button', 'data-remove': f.rule, text: t('fixRemove'),
          onclick: () => this.applyFix(f.start, f.end, '') }));
      }
      if (actions.childNodes.length) li.append(actions);
    }
    return li;
  }

  fillPanel() {
    const list = el('ul');
    for (const f of this.findings) list.append(this.findingItem(f, true));
    this.panel.replaceChildren(
      el('h2', { text: t('panelTitle') }),
      el('button', { class: 'act close', type: 'button', text: t('panelClose'), onclick: () => { this.togglePanel(false); this.node.focus(); } }),
      this.findings.length ? list : el('p', { text: t('panelEmpty') }));
  }

  showDialog(kind, list) {
    return new Promise((resolve) => {
      this.dialogResolve = resolve;
      const items = el('ul');
      for (const f of list) items.append(this.findingItem(f, kind === 'block'));
      const buttons = el('div', { class: 'actions' });
      if (kind === 'confirm') {
        buttons.append(
          el('button', { class: 'act back', type: 'button', text: t('confirmBack'), onclick: () => this.closeDialog(false) }),
          el('button', { class: 'act primary post-anyway', type: 'button', text: t('confirmPost'), onclick: () => this.closeDialog(true) }));
      } else {
        buttons.append(el('button', { class: 'act primary back', type: 'button', text: t('blockBack'), onclick: () => this.closeDialog(false) }));
      }
      const title = el('h2', { id: 'pg-dialog-title', text: t(kind === 'confirm' ? 'confirmTitle' : 'blockTitle') });
      this.dialog.replaceChildren(title, el('p', { text: t(kind === 'confirm' ? 'confirmBody' : 'blockBody') }), items, buttons);
      this.dialog.setAttribute('aria-labelledby', 'pg-dialog-title');
      this.dialog.dataset.kind = kind;
      this.dialog.hidden = false;
      this.raise();
      this.overlay.dataset.dialog = kind;
      this.reposition();
      this.dialog.querySelector('button.back')?.focus();
    });
  }

  closeDialog(result) {
    this.dialog.hidden = true;
    this.raise();
    delete this.overlay.dataset.dialog;
    const r = this.dialogResolve;
    this.dialogResolve = null;
    if (!result) this.node.focus();
    r?.(result);
  }
}
