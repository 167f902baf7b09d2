/// The keying page's script: keyboard-first entry driven by the questionnaire data `Q` that
/// the page defines before it (see ``EntryView``).
///
/// - The case number is checked when Enter or Tab is pressed (the server's case check: in the
///   sample, in use, not yet keyed in this pass); the town and group are shown, the items open.
/// - A code item takes one keystroke: a code of the item is entered and the next asked item
///   gets the focus; any other key is refused on the spot, with the valid codes shown.
/// - Skip conditions (`when`) are evaluated as ``Questionnaire/Condition/holds(_:)`` does: an
///   item not asked is greyed, emptied and passed over.
/// - Enter saves when every asked required item is answered (else it goes to the first missing
///   one); after saving, the form is blank and the case number has the focus again.
///
/// The item logic is shared with the telephone interview screen (``CallScript``):
/// ``items`` defines `pingyiItems(Q, hooks)`, which drives the fields of one form.
enum KeyingScript {
    /// `pingyiItems(Q, hooks)`: the fields of the items of `Q`, keyboard-first. `hooks`:
    /// `enabled()` (whether the items may be answered now), `say(text, bad)`, `complete()`
    /// (Enter with every asked required item answered), `beforeFirst()` (moving up from the
    /// first item), `end()` (moving down from the last). Returns `{fields, refresh, missing,
    /// go, next, reset, say}`.
    static let items = #"""
    function pingyiItems(Q, hooks) {
      'use strict';
      const fields = Q.items.map(function (it) { return document.getElementById('f-' + it.name); });
      const rows = fields.map(function (f) { return f.closest('.item'); });
      function value(name) {
        for (let i = 0; i < Q.items.length; i++) {
          if (Q.items[i].name === name) { const v = fields[i].value.trim(); return v === '' ? null : v; }
        }
        return null;
      }
      function isNumber(s) { return s.trim() !== '' && isFinite(Number(s)); }
      function compare(v, op, literal) {
        if (typeof literal === 'number' && isNumber(v)) {
          const x = Number(v);
          switch (op) {
            case '==': return x === literal; case '!=': return x !== literal;
            case '<': return x < literal; case '<=': return x <= literal;
            case '>': return x > literal; case '>=': return x >= literal;
          }
        }
        const t = typeof literal === 'number' ? String(literal) : literal.text;
        if (op === '==') return v === t;
        if (op === '!=') return v !== t;
        return false;
      }
      function holds(t) {
        switch (t[0]) {
          case 'and': return holds(t[1]) && holds(t[2]);
          case 'or': return holds(t[1]) || holds(t[2]);
          case 'not': return !holds(t[1]);
          case 'cmp': { const v = value(t[1]); return v !== null && compare(v, t[2], t[3]); }
          case 'in': { const v = value(t[1]); return v !== null && t[2].some(function (l) { return compare(v, '==', l); }); }
        }
        return true;
      }
      function asked(i) { return !Q.items[i].when || holds(Q.items[i].when); }
      function meaning(i) {
        const m = document.getElementById('m-' + Q.items[i].name);
        if (m) { const codes = Q.items[i].codes; m.textContent = codes && codes[fields[i].value] ? codes[fields[i].value] : ''; }
      }
      function refresh() {
        const open = hooks.enabled();
        for (let i = 0; i < fields.length; i++) {
          const on = open && asked(i);
          if (!on && open && fields[i].value !== '') { fields[i].value = ''; meaning(i); }
          fields[i].disabled = !on;
          rows[i].classList.toggle('skipped', open && !on);
        }
      }
      function next(i) { for (let j = i + 1; j < fields.length; j++) if (asked(j)) return j; return -1; }
      function previous(i) { for (let j = i - 1; j >= 0; j--) if (asked(j)) return j; return -1; }
      function go(i) {
        if (i < 0) { hooks.end(); return; }
        fields[i].focus(); fields[i].select();
      }
      function missing() {
        for (let i = 0; i < fields.length; i++) if (asked(i) && Q.items[i].required && fields[i].value.trim() === '') return i;
        return -1;
      }
      function codeList(it) { return Object.keys(it.codes).sort().map(function (c) { return c + ' ' + it.codes[c]; }).join('、'); }
      function refuse(i, key) {
        const it = Q.items[i];
        rows[i].classList.add('bad');
        setTimeout(function () { rows[i].classList.remove('bad'); }, 700);
        hooks.say('按键「' + key + '」不是' + it.label + '的有效代码；可用：' + codeList(it), true);
      }
      function enter(i) {
        const m = missing();
        if (m < 0) { hooks.complete(); return; }
        // The first unanswered required item from the current one on (the current one itself
        // when it is empty), else the first one of the form.
        const after = (function () { for (let j = Math.max(i, 0); j < fields.length; j++) if (asked(j) && Q.items[j].required && fields[j].value.trim() === '') return j; return m; })();
        hooks.say('尚未回答：' + Q.items[after].label + '（' + Q.items[after].name + '）', true);
        go(after);
      }
      function allowedInNumber(it, key) {
        if (/^[0-9]$/.test(key)) return true;
        if (key === '.' && it.decimals > 0) return true;
        if (key === '-' && it.min !== null && it.min !== undefined && it.min < 0) return true;
        return false;
      }
      fields.forEach(function (field, i) {
        const it = Q.items[i];
        field.addEventListener('focus', function () { rows[i].classList.add('current'); });
        field.addEventListener('blur', function () { rows[i].classList.remove('current'); });
        field.addEventListener('keydown', function (ev) {
          if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
          const k = ev.key;
          if (k === 'Enter') { ev.preventDefault(); enter(i); return; }
          if ((k === 'Tab' && ev.shiftKey) || k === 'ArrowUp') { ev.preventDefault(); const p = previous(i); if (p >= 0) go(p); else hooks.beforeFirst(); return; }
          if (k === 'Tab' || k === 'ArrowDown') { ev.preventDefault(); go(next(i)); return; }
          if (it.kind === 'text') return;
          if (k === 'Backspace' || k === 'Delete') {
            if (field.value === '' ) { ev.preventDefault(); const p = previous(i); if (p >= 0) go(p); return; }
            if (it.kind === 'code') { ev.preventDefault(); field.value = ''; meaning(i); refresh(); }
            return;
          }
          if (k.length !== 1) return;
          if (it.kind === 'code') {
            ev.preventDefault();
            if (it.codes[k] !== undefined) {
              field.value = k; meaning(i); hooks.say('', false); refresh(); go(next(i));
            } else {
              refuse(i, k);
            }
          } else if (!allowedInNumber(it, k)) {
            ev.preventDefault(); refuse(i, k);
            hooks.say('按键「' + k + '」无效：' + it.label + '只能输入数字', true);
          }
        });
        field.addEventListener('input', function () { refresh(); });
        meaning(i);
      });
      function reset() { fields.forEach(function (f, i) { f.value = ''; meaning(i); }); refresh(); }
      return { fields: fields, refresh: refresh, missing: missing, go: go, next: next, previous: previous, reset: reset };
    }
    """#

    static let source = items + #"""
    (function () {
      'use strict';
      const form = document.getElementById('form');
      const caseInput = document.getElementById('case');
      const info = document.getElementById('case-info');
      const status = document.getElementById('status');
      const count = document.getElementById('count');
      const townName = document.getElementById('town-name');
      const csrf = form.elements['csrf'].value;
      let caseOK = false, saving = false, saved = 0;

      function say(text, bad) { status.textContent = text; status.className = bad ? 'error' : (text ? 'notice' : ''); }
      const items = pingyiItems(Q, {
        enabled: function () { return caseOK; },
        say: say,
        complete: function () { save(); },
        beforeFirst: function () { caseInput.focus(); },
        end: function () { document.getElementById('save').focus(); }
      });
      const fields = items.fields;

      function checkCase() {
        const id = caseInput.value.trim();
        if (id === '') { say('请输入问卷编号', true); return; }
        info.textContent = '核对中…'; info.className = 'case-info';
        fetch(Q.checkURL + '?id=' + encodeURIComponent(id), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.json(); })
          .then(function (c) {
            if (caseInput.value.trim() !== id) return;
            caseOK = c.ok === true;
            info.textContent = c.ok ? c.message : (c.message || c.error || '无法核对');
            info.className = 'case-info ' + (c.ok ? 'notice' : 'error');
            if (townName) townName.textContent = c.ok && c.town ? c.town + '：' : '';
            items.refresh();
            if (caseOK) { say('', false); items.go(items.next(-1)); } else { caseInput.select(); }
          })
          .catch(function () { info.textContent = '无法连接服务器，请稍后重试'; info.className = 'case-info error'; });
      }
      caseInput.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || (ev.key === 'Tab' && !ev.shiftKey)) { ev.preventDefault(); if (caseOK) items.go(items.next(-1)); else checkCase(); }
      });
      caseInput.addEventListener('input', function () {
        caseOK = false; info.textContent = ''; info.className = 'case-info';
        if (townName) townName.textContent = '';
        items.refresh();
      });

      function reset() {
        caseInput.value = ''; caseOK = false; info.textContent = ''; info.className = 'case-info';
        if (townName) townName.textContent = '';
        items.reset(); caseInput.focus();
      }
      function save() {
        if (saving) return;
        if (!caseOK) { say('请先输入问卷编号并按 Enter 核对', true); caseInput.focus(); return; }
        const m = items.missing();
        if (m >= 0) { say('尚未录入：' + Q.items[m].label + '（' + Q.items[m].name + '）', true); items.go(m); return; }
        const body = new URLSearchParams();
        body.append('csrf', csrf);
        body.append('case_id', caseInput.value.trim());
        fields.forEach(function (f, i) { if (!f.disabled && f.value.trim() !== '') body.append(Q.items[i].name, f.value.trim()); });
        saving = true;
        fetch(Q.saveURL, { method: 'POST', body: body, credentials: 'same-origin',
                           headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' } })
          .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; }); })
          .then(function (r) {
            saving = false;
            if (r.ok) {
              saved += 1; count.textContent = '本次已保存 ' + saved + ' 份';
              say(r.body.message, false); reset();
            } else {
              say((r.body.error || '未保存') + (r.body.problems ? '：' + r.body.problems.join('；') : ''), true);
              if (r.status === 409 || r.status === 401) caseInput.focus(); else items.go(items.missing() >= 0 ? items.missing() : items.next(-1));
            }
          })
          .catch(function () { saving = false; say('无法连接服务器，未保存：请稍后按 Enter 重试', true); });
      }
      form.addEventListener('submit', function (ev) { ev.preventDefault(); save(); });
      document.getElementById('save').addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter') { ev.preventDefault(); save(); }
        if (ev.key === 'ArrowUp' || (ev.key === 'Tab' && ev.shiftKey)) { ev.preventDefault(); const p = items.previous(fields.length); if (p >= 0) items.go(p); }
      });
      items.refresh();
      caseInput.focus();
    })();
    """#
}
