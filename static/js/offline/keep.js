// Asking the service worker (static/js/service_worker.js) to keep an interview's pages on this
// device, and the browser to keep this site's storage (not to clear it when space runs low).

export function keepPages(user, session, urls) {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().catch(function () {});
  }
  navigator.serviceWorker.ready.then(function (registration) {
    registration.active.postMessage({
      type: "keep",
      user: String(user),
      session: String(session),
      urls: urls,
    });
  });
}

export function tellWorker(message) {
  if (!("serviceWorker" in navigator)) {
    return Promise.resolve();
  }
  return navigator.serviceWorker.getRegistration("/").then(function (registration) {
    var worker = registration && (registration.active || registration.waiting);
    if (worker) {
      worker.postMessage(message);
    }
  });
}
