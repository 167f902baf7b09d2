/// The call screen's script (see ``CallsView/call(_:_:rules:now:startedAt:session:values:error:details:)``):
/// keyboard-first telephone interviewing on the questionnaire data `Q`.
///
/// - Before the interview: one key records the outcome of the dial (1 busy … 0 not eligible, U
///   unable; 4 asks for the appointment time first, Enter then records it); P moves to the
///   case's next number; Enter starts the interview.
/// - The interview: the items work as on the keying page (``KeyingScript/items``): one key per
///   code item, skips applied as the respondent answers, Enter to the next unanswered required
///   item, and when none is left Enter saves the interview as complete; F8 saves a break-off
///   with the answers given.
/// - The item asked is shown in full above the form, to read out with its answers; the
///   scale's special codes (`SILENT.codes`: 不了解, 拒答…) are not read out but still taken.
/// - Without the script the page is a plain form: every item and button works.
enum CallScript {
    static let source = KeyingScript.items + #"""
    (function () {
      'use strict';
      const form = document.getElementById('call');
      const status = document.getElementById('status');
      const start = document.getElementById('start');
      const appointment = document.getElementById('appointment');
      const interview = document.getElementById('interview');
      const phones = Array.from(document.querySelectorAll('input[name="phone_rank"]'));
      let started = Q.items.some(function (it) { const f = document.getElementById('f-' + it.name); return f && f.value !== ''; });
      let sending = false;

      function say(text, bad) { status.textContent = text; status.className = bad ? 'error' : (text ? 'notice' : ''); }
      function submit(button) {
        if (sending) return;
        sending = true;
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      }
      const items = pingyiItems(Q, {
        enabled: function () { return started; },
        say: say,
        complete: function () { submit(document.getElementById('complete')); },
        beforeFirst: function () { start.focus(); },
        end: function () { document.getElementById('complete').focus(); }
      });
      function begin() {
        started = true;
        interview.classList.remove('waiting');
        items.refresh();
        say('访问开始：照读题目，按受访者回答输入代码', false);
        items.go(items.next(-1));
      }
      form.addEventListener('submit', function () { sending = true; });
      document.addEventListener('keydown', function (ev) {
        if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
        if (ev.key === 'F8' && started) { ev.preventDefault(); submit(document.getElementById('breakoff')); return; }
        const target = ev.target;
        if (target === appointment) {
          if (ev.key === 'Enter') { ev.preventDefault(); submit(document.querySelector('button[value="call-back"]')); }
          return;
        }
        if (started || (target && target.tagName === 'INPUT' && target.type === 'text')) return;
        if (ev.key === 'Enter') { ev.preventDefault(); begin(); return; }
        if (ev.key === 'p' || ev.key === 'P') {
          ev.preventDefault();
          const i = phones.findIndex(function (p) { return p.checked; });
          if (phones.length > 0) { phones[(i + 1) % phones.length].checked = true; say('拨打第 ' + ((i + 1) % phones.length + 1) + ' 个号码', false); }
          return;
        }
        const b = document.querySelector('#outcomes button[data-key="' + ev.key.toLowerCase() + '"]');
        if (!b) return;
        ev.preventDefault();
        if (b.value === 'call-back') { appointment.focus(); say('填写预约时间后按 Enter 记录', false); return; }
        submit(b);
      });
      // The item being asked, in full, to read out.
      const read = document.getElementById('read');
      items.fields.forEach(function (f, i) {
        f.addEventListener('focus', function () {
          const it = Q.items[i];
          const scale = SILENT.items.indexOf(it.name) >= 0;
          const codes = it.codes ? Object.keys(it.codes).sort().filter(function (c) { return !scale || SILENT.codes.indexOf(c) < 0; })
            .map(function (c) { return c + ' ' + it.codes[c]; }).join('　') : '';
          read.textContent = it.label + (codes ? '？（' + codes + '）' : '');
        });
      });
      start.addEventListener('click', begin);
      if (!started) interview.classList.add('waiting');
      items.refresh();
      if (started) items.go(items.missing() >= 0 ? items.missing() : items.next(-1)); else start.focus();
    })();
    """#
}
