// Progressive enhancement only: every page works without this file.
(function () {
  // When a form comes back with errors, move focus to the summary so screen readers announce it.
  function focusSummary() {
    var summary = document.querySelector('[data-error-summary]');
    if (summary) summary.focus();
  }

  // Uploads show their progress. The form is sent as it would be without this script (the same
  // multipart body, its token first); the portal's answer is then shown: the page it redirects to, or
  // the form again with its message.
  function enhanceUploads() {
    var forms = document.querySelectorAll('form[data-upload]');
    Array.prototype.forEach.call(forms, function (form) {
      if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var progress = form.querySelector('progress');
        var button = form.querySelector('button[type=submit]');
        var request = new XMLHttpRequest();
        request.open('POST', form.action);
        request.upload.addEventListener('progress', function (e) {
          if (progress && e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
        });
        request.addEventListener('load', function () {
          // The answer is a page: the one the upload leads to (with its confirmation), or the form again.
          var page = new DOMParser().parseFromString(request.responseText, 'text/html');
          var main = page.querySelector('main');
          if (!main) {
            window.location.assign(request.responseURL);
            return;
          }
          document.querySelector('main').replaceWith(document.importNode(main, true));
          document.title = page.title;
          if (request.responseURL !== window.location.href)
            history.replaceState(null, '', request.responseURL);
          enhanceUploads();
          var confirmation = document.querySelector('main [role=status]');
          if (confirmation) {
            confirmation.setAttribute('tabindex', '-1');
            confirmation.focus();
          }
          focusSummary();
        });
        request.addEventListener('error', function () {
          // The connection failed: send the form the ordinary way, which shows the browser's own page.
          form.removeAttribute('data-upload');
          form.submit();
        });
        if (progress) {
          progress.hidden = false;
          progress.value = 0;
        }
        if (button) button.disabled = true;
        request.send(new FormData(form));
      });
    });
  }

  // Comptes associés: a box ticks every row, the count of ticked rows is said (with the language's
  // plural), and the bulk buttons wait for a ticked row. Without this script the buttons are always
  // there, and pressing one with nothing ticked says so beside the list.
  function enhanceMembers() {
    var form = document.querySelector('[data-members-form]');
    if (!form) return;
    var all = form.querySelector('[data-select-all]');
    var count = form.querySelector('[data-selected-count]');
    var bulk = form.querySelector('[data-bulk-actions]');
    var rows = form.querySelectorAll('input[name=members]');
    var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;
    function update() {
      var ticked = Array.prototype.filter.call(rows, function (r) {
        return r.checked;
      }).length;
      var words = plural && plural.select(ticked) === 'one' ? count.dataset.one : count.dataset.other;
      count.textContent = words.replace('{count}', String(ticked));
      bulk.disabled = ticked === 0;
      all.checked = ticked > 0 && ticked === rows.length;
      all.indeterminate = ticked > 0 && ticked < rows.length;
    }
    all.hidden = false;
    count.hidden = false;
    all.addEventListener('change', function () {
      Array.prototype.forEach.call(rows, function (r) {
        r.checked = all.checked;
      });
      update();
    });
    Array.prototype.forEach.call(rows, function (r) {
      r.addEventListener('change', update);
    });
    update();
  }

  focusSummary();
  enhanceUploads();
  enhanceMembers();
})();
