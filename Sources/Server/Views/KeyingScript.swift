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
      // What each field held when last accepted: an input method's text that is not an answer
      // is taken back to it.
      const accepted = fields.map(function (f) { return f.value; });
      // Full-width letters, digits and signs (as an input method types them) as ASCII.
      function half(s) { return s.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); }).replace(/\u3000/g, ' '); }
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
          if (!on && open && fields[i].value !== '') { fields[i].value = ''; accepted[i] = ''; meaning(i); }
          fields[i].disabled = !on;
          rows[i].classList.toggle('skipped', open && !on);
        }
        if (hooks.changed) hooks.changed();
      }
      function next(i) { for (let j = i + 1; j < fields.length; j++) if (asked(j)) return j; return -1; }
      function previous(i) { for (let j = i - 1; j >= 0; j--) if (asked(j)) return j; return -1; }
      function go(i) {
        if (i < 0) { hooks.end(); return; }
        fields[i].focus(); fields[i].select();
      }
      // The range of a number item in words (1–20), and what is wrong with its value, if anything.
      function range(it) {
        const lo = it.min === null || it.min === undefined ? null : it.min, hi = it.max === null || it.max === undefined ? null : it.max;
        return lo !== null && hi !== null ? lo + '–' + hi : lo !== null ? '不小于 ' + lo : hi !== null ? '不大于 ' + hi : '';
      }
      function wrong(i) {
        const it = Q.items[i], v = fields[i].value.trim();
        if (!asked(i)) return null;
        if (v === '') return it.required ? '尚未回答：' + it.label + '（' + it.name + '）' : null;
        if (it.kind === 'code' && it.codes[v] === undefined) return it.label + '的代码「' + v + '」无效；可用：' + codeList(it);
        if (it.kind === 'number') {
          const places = it.decimals > 0 ? '最多 ' + it.decimals + ' 位小数' : '整数';
          const pattern = it.decimals > 0 ? new RegExp('^-?[0-9]+(\\.[0-9]{1,' + it.decimals + '})?$') : /^-?[0-9]+$/;
          const x = Number(v);
          if (!pattern.test(v) || (it.min !== null && it.min !== undefined && x < it.min) || (it.max !== null && it.max !== undefined && x > it.max)) {
            return it.label + '（' + it.name + '）应为' + (range(it) ? ' ' + range(it) + ' 之间的' : '') + places + '，录入的是「' + v + '」';
          }
        }
        return null;
      }
      // The first asked item that is unanswered (when required) or wrong, from `from` on, else from the start.
      function problem(from) {
        for (let j = Math.max(from || 0, 0); j < fields.length; j++) if (wrong(j)) return j;
        for (let j = 0; j < fields.length; j++) if (wrong(j)) return j;
        return -1;
      }
      function missing() { return problem(0); }
      function codeList(it) { return Object.keys(it.codes).sort().map(function (c) { return c + ' ' + it.codes[c]; }).join('、'); }
      function flash(i) {
        rows[i].classList.add('bad');
        setTimeout(function () { rows[i].classList.remove('bad'); }, 700);
      }
      function refuse(i, key) {
        flash(i);
        hooks.say('按键「' + key + '」不是' + Q.items[i].label + '的有效代码；可用：' + codeList(Q.items[i]), true);
      }
      function enter(i) {
        // The first item to answer or correct from the current one on (the current one itself
        // when it is empty), else from the first one of the form.
        const p = problem(i);
        if (p < 0) { hooks.complete(); return; }
        hooks.say(wrong(p), true);
        go(p);
      }
      // Leaving a number item: a value out of range keeps the focus there.
      function leave(i, to) {
        const w = Q.items[i].kind === 'number' && fields[i].value.trim() !== '' ? wrong(i) : null;
        if (w) { flash(i); hooks.say(w, true); go(i); return; }
        go(to);
      }
      function allowedInNumber(it, key) {
        if (/^[0-9]$/.test(key)) return true;
        if (key === '.' && it.decimals > 0) return true;
        if (key === '-' && it.min !== null && it.min !== undefined && it.min < 0) return true;
        return false;
      }
      // A whole number is complete when one more digit would pass the maximum (4 of 1–20).
      function complete(i) {
        const it = Q.items[i], v = fields[i].value;
        return !(it.decimals > 0) && it.max !== null && it.max !== undefined && /^[0-9]+$/.test(v) && !wrong(i) && Number(v) * 10 > it.max;
      }
      // A code or number that arrived without a key press the page could check (an input
      // method's composition, a paste): the answer it is, or taken back.
      function tidy(i) {
        const it = Q.items[i], f = fields[i];
        if (it.kind === 'text') { accepted[i] = f.value; if (hooks.changed) hooks.changed(); return; }
        const v = half(f.value).trim();
        if (it.kind === 'code') {
          const code = it.codes[v] !== undefined ? v : (it.codes[v.toUpperCase()] !== undefined ? v.toUpperCase() : null);
          if (v === '') { f.value = ''; accepted[i] = ''; meaning(i); refresh(); return; }
          if (code === null) { f.value = accepted[i]; meaning(i); refuse(i, v); return; }
          f.value = code; accepted[i] = code; meaning(i); hooks.say('', false); refresh(); go(next(i));
          return;
        }
        if (v !== '' && !/^-?[0-9]*\.?[0-9]*$/.test(v)) {
          f.value = accepted[i]; flash(i); hooks.say(it.label + '只能输入数字，「' + v + '」未录入', true); return;
        }
        if (v !== '' && it.max !== null && it.max !== undefined && Number(v) > it.max) {
          f.value = accepted[i]; flash(i); hooks.say(it.label + '（' + it.name + '）应为 ' + range(it) + ' 之间的数，「' + v + '」超出范围', true); return;
        }
        f.value = v; accepted[i] = v; refresh();
        if (complete(i)) go(next(i));
      }
      fields.forEach(function (field, i) {
        const it = Q.items[i];
        field.addEventListener('focus', function () { rows[i].classList.add('current'); });
        field.addEventListener('blur', function () { rows[i].classList.remove('current'); });
        field.addEventListener('keydown', function (ev) {
          if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
          const k = ev.key.length === 1 ? half(ev.key) : ev.key;
          if (k === 'Enter') { ev.preventDefault(); enter(i); return; }
          if ((k === 'Tab' && ev.shiftKey) || k === 'ArrowUp') { ev.preventDefault(); const p = previous(i); if (p >= 0) go(p); else hooks.beforeFirst(); return; }
          if (k === 'Tab' || k === 'ArrowDown') { ev.preventDefault(); leave(i, next(i)); return; }
          if (it.kind === 'text') return;
          if (k === 'Backspace' || k === 'Delete') {
            if (field.value === '' ) { ev.preventDefault(); const p = previous(i); if (p >= 0) go(p); return; }
            if (it.kind === 'code') { ev.preventDefault(); field.value = ''; accepted[i] = ''; meaning(i); refresh(); }
            return;
          }
          if (k.length !== 1) return;
          if (it.kind === 'code') {
            ev.preventDefault();
            const code = it.codes[k] !== undefined ? k : (it.codes[k.toUpperCase()] !== undefined ? k.toUpperCase() : null);
            if (code !== null) {
              field.value = code; accepted[i] = code; meaning(i); hooks.say('', false); refresh(); go(next(i));
            } else {
              refuse(i, ev.key);
            }
            return;
          }
          if (!allowedInNumber(it, k)) {
            ev.preventDefault(); flash(i);
            hooks.say('按键「' + ev.key + '」无效：' + it.label + '只能输入数字', true);
            return;
          }
          // The value this key would make: past the maximum, it is refused before the server sees it.
          const start = field.selectionStart === null ? field.value.length : field.selectionStart;
          const end = field.selectionEnd === null ? start : field.selectionEnd;
          const after = field.value.slice(0, start) + k + field.value.slice(end);
          if (/^[0-9]+(\.[0-9]*)?$/.test(after) && it.max !== null && it.max !== undefined && Number(after) > it.max) {
            ev.preventDefault(); flash(i);
            hooks.say(it.label + '（' + it.name + '）应为 ' + range(it) + ' 之间的数，「' + after + '」超出范围', true);
            return;
          }
          ev.preventDefault();
          field.value = after; field.setSelectionRange(start + 1, start + 1);
          accepted[i] = after; hooks.say('', false); refresh();
          if (complete(i)) go(next(i));
        });
        field.addEventListener('input', function (ev) { if (ev.isComposing) return; tidy(i); });
        field.addEventListener('compositionend', function () { tidy(i); });
        meaning(i);
      });
      function reset() { fields.forEach(function (f, i) { f.value = ''; accepted[i] = ''; meaning(i); }); refresh(); }
      // Fills the fields (a form kept on the page): item name -> value.
      function fill(values) {
        fields.forEach(function (f, i) {
          const v = values[Q.items[i].name];
          if (typeof v === 'string') { f.value = v; accepted[i] = v; meaning(i); }
        });
        refresh();
      }
      function values() {
        const out = {};
        fields.forEach(function (f, i) { if (f.value !== '') out[Q.items[i].name] = f.value; });
        return out;
      }
      return { fields: fields, refresh: refresh, missing: missing, wrong: wrong, go: go, next: next, previous: previous,
               reset: reset, fill: fill, values: values };
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
      let csrf = form.elements['csrf'].value;
      // The session ended (signed out elsewhere, expired): take the new session's token before sending.
      let stale = false;
      let caseOK = false, saving = false, saved = 0;
      // The form in progress, kept in this tab until saved: a reload or an expired session does
      // not lose it (the tab's own storage, gone when the tab is closed).
      const draftKey = 'pingyi-draft:' + Q.questionnaire + ':' + Q.pass + ':' + form.dataset.user;

      function say(text, bad, link) {
        status.textContent = text || '';
        if (link) {
          status.appendChild(document.createTextNode(' '));
          const a = document.createElement('a');
          a.href = link.href; a.target = '_blank'; a.rel = 'noopener'; a.textContent = link.text;
          status.appendChild(a);
        }
        status.className = bad ? 'error' : (text ? 'notice' : '');
      }
      function remember() {
        try {
          const values = items ? items.values() : {};
          if (caseInput.value.trim() === '' && Object.keys(values).length === 0) sessionStorage.removeItem(draftKey);
          else sessionStorage.setItem(draftKey, JSON.stringify({ caseID: caseInput.value, values: values }));
        } catch (e) { /* storage refused: the form still works, without the copy */ }
      }
      function forget() { try { sessionStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ } }
      function draft() {
        try { const d = JSON.parse(sessionStorage.getItem(draftKey) || 'null'); return d && typeof d.caseID === 'string' ? d : null; } catch (e) { return null; }
      }
      let items = null;
      items = pingyiItems(Q, {
        enabled: function () { return caseOK; },
        say: say,
        complete: function () { save(); },
        beforeFirst: function () { caseInput.focus(); },
        end: function () { document.getElementById('save').focus(); },
        changed: function () { if (items) remember(); }
      });
      const fields = items.fields;

      // Checks the case number; `keep`: the fields hold a kept form (go to its first problem).
      function checkCase(keep) {
        const id = caseInput.value.trim();
        if (id === '') { say('请输入问卷编号', true); return; }
        info.textContent = '核对中…'; info.className = 'case-info';
        fetch(Q.checkURL + '?id=' + encodeURIComponent(id), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.json().then(function (c) { return { status: r.status, body: c }; }); })
          .then(function (r) {
            const c = r.body;
            if (caseInput.value.trim() !== id) return;
            if (r.status === 401) { expired(); return; }
            caseOK = c.ok === true;
            // The number as the store has it (u-01-0003 is U-01-0003).
            if (caseOK && c.caseID) caseInput.value = c.caseID;
            info.textContent = c.ok ? c.message : (c.message || c.error || '无法核对');
            info.className = 'case-info ' + (c.ok ? 'notice' : 'error');
            if (townName) townName.textContent = c.ok && c.town ? c.town + '：' : '';
            items.refresh();
            if (!caseOK) { caseInput.select(); return; }
            if (keep) { const m = items.missing(); if (m >= 0) items.go(m); else document.getElementById('save').focus(); }
            else { say('', false); items.go(items.next(-1)); }
          })
          .catch(function () { info.textContent = '无法连接服务器，请稍后重试'; info.className = 'case-info error'; });
      }
      caseInput.addEventListener('keydown', function (ev) {
        if (ev.isComposing) return;
        if (ev.key === 'Enter' || (ev.key === 'Tab' && !ev.shiftKey)) { ev.preventDefault(); if (caseOK) items.go(items.next(-1)); else checkCase(false); }
      });
      caseInput.addEventListener('input', function () {
        caseOK = false; info.textContent = ''; info.className = 'case-info';
        if (townName) townName.textContent = '';
        items.refresh();
      });

      function reset() {
        caseInput.value = ''; caseOK = false; info.textContent = ''; info.className = 'case-info';
        if (townName) townName.textContent = '';
        items.reset(); forget(); caseInput.focus();
      }
      function expired() {
        stale = true;
        say('登录已过期，未保存：本页的答案已保留。请在新标签页中重新登录，再回到本页按 Enter 保存。', true,
            { href: '/login', text: '在新标签页中登录' });
      }
      // The signed-in session's token (after signing in again in another tab). Someone else
      // signed in meanwhile: nothing is sent, the form would be saved as keyed by them.
      function token() {
        return fetch('/session', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
          .then(function (r) { if (!r.ok) throw r.status; return r.json(); })
          .then(function (j) {
            if (j.user !== form.dataset.user) throw { other: j.user };
            csrf = j.csrf; form.elements['csrf'].value = j.csrf; stale = false;
          });
      }
      function notSent(e) {
        saving = false;
        if (e && e.other) {
          stale = true;
          say('现在登录的是「' + e.other + '」，不是本页的录入员「' + form.dataset.user + '」：未保存。请以「' + form.dataset.user
              + '」重新登录，再回到本页按 Enter 保存。', true, { href: '/login', text: '在新标签页中登录' });
        } else {
          expired();
        }
      }
      function post(retried) {
        const body = new URLSearchParams();
        body.append('csrf', csrf);
        body.append('case_id', caseInput.value.trim());
        fields.forEach(function (f, i) { if (!f.disabled && f.value.trim() !== '') body.append(Q.items[i].name, f.value.trim()); });
        fetch(Q.saveURL, { method: 'POST', body: body, credentials: 'same-origin',
                           headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' } })
          .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; }); })
          .then(function (r) {
            if (r.status === 403 && !retried) {
              // A token of an earlier session: take the current one and send once more.
              token().then(function () { post(true); }, notSent);
              return;
            }
            saving = false;
            if (r.ok) {
              saved += 1; count.textContent = '本次已保存 ' + saved + ' 份';
              say(r.body.message, false); reset();
              return;
            }
            if (r.status === 401) { expired(); return; }
            say((r.body.error || '未保存') + (r.body.problems ? '：' + r.body.problems.join('；') : ''), true);
            // The item at fault, as the server names it; else the case number (already keyed, not in the sample…).
            const at = r.body.items ? Q.items.findIndex(function (it) { return it.name === r.body.items[0]; }) : -1;
            if (at >= 0 && !fields[at].disabled) items.go(at);
            else if (r.status === 409 || r.status === 401) caseInput.focus();
            else items.go(items.missing() >= 0 ? items.missing() : items.next(-1));
          })
          .catch(function () { saving = false; say('无法连接服务器，未保存：答案已保留，请稍后按 Enter 重试', true); });
      }
      function save() {
        if (saving) return;
        if (!caseOK) { say('请先输入问卷编号并按 Enter 核对', true); caseInput.focus(); return; }
        const m = items.missing();
        if (m >= 0) { say(items.wrong(m), true); items.go(m); return; }
        saving = true;
        if (stale) token().then(function () { post(false); }, notSent);
        else post(false);
      }
      form.addEventListener('submit', function (ev) { ev.preventDefault(); save(); });
      document.getElementById('save').addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter') { ev.preventDefault(); save(); }
        if (ev.key === 'ArrowUp' || (ev.key === 'Tab' && ev.shiftKey)) { ev.preventDefault(); const p = items.previous(fields.length); if (p >= 0) items.go(p); }
      });
      // Read before the first refresh, which keeps (or forgets) what the fields hold.
      const kept = draft();
      items.refresh();
      if (caseInput.value.trim() !== '') {
        // The server gave the form back (sent without the script, refused): check it as it is.
        checkCase(true);
      } else if (kept && kept.caseID.trim() !== '') {
        caseInput.value = kept.caseID;
        items.fill(kept.values || {});
        say('已恢复本页未保存的录入（编号 ' + kept.caseID.trim() + '）：核对后按 Enter 保存', false);
        checkCase(true);
      } else {
        caseInput.focus();
      }
    })();
    """#
}
