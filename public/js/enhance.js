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

  focusSummary();
  enhanceUploads();
})();
