// The service worker: keeps the pages of the interviews a person has open on this device, and
// the static files, so that an interview goes on without a connection. Loaded by /sw.js
// (interviews/views/offline.py), which sets self.UFM_OFFLINE = {offline, statics, version}
// first. A classic script: importScripts is what every browser's service worker takes.
//
// Never kept: the admin, any page but an interview's sections and check page, any answer to a
// POST, and anything of a person other than the one logged in last (their pages are dropped as
// soon as someone else's page says who is logged in). Log-out clears it all (Clear-Site-Data).
/* global self, caches, fetch, Response, URL */
"use strict";

var config = self.UFM_OFFLINE || { offline: "/offline/", statics: [], version: "0" };
var STATIC = "ufm-static-" + config.version;
var META = "ufm-meta";
var WHO = "/__ufm/who"; // the user who is logged in, as far as the pages said

// "/interviews/12/section/feel/" or "/interviews/12/review/": the session, else null.
function entrySession(pathname) {
  var found = /^\/interviews\/(\d+)\/(?:section\/[\w-]+\/|review\/)$/.exec(pathname);
  return found ? found[1] : null;
}

function pagesCache(user, session) {
  return "ufm-pages-" + user + "-" + session;
}

function whoseCache(name) {
  var found = /^ufm-pages-([^-]+)-/.exec(name);
  return found ? found[1] : null;
}

function currentUser() {
  return caches
    .open(META)
    .then(function (cache) {
      return cache.match(WHO);
    })
    .then(function (response) {
      return response ? response.text() : "";
    });
}

function setUser(user) {
  return caches
    .open(META)
    .then(function (cache) {
      return cache.put(WHO, new Response(user));
    })
    .then(function () {
      return forget(function (owner) {
        return owner !== user;
      });
    });
}

// Drop the kept pages for which ``drop(owner, name)`` says so.
function forget(drop) {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          var owner = whoseCache(name);
          return owner !== null && drop(owner, name);
        })
        .map(function (name) {
          return caches.delete(name);
        }),
    );
  });
}

function worthKeeping(response) {
  return (
    response &&
    response.ok &&
    !response.redirected &&
    response.type === "basic" &&
    String(response.headers.get("Content-Type")).indexOf("text/html") === 0
  );
}

// Open each page of the interview once and keep it (a page kept already is refreshed when it is
// next opened online).
function keep(user, session, urls) {
  return currentUser().then(function (who) {
    if (!who || who !== user) {
      return null;
    }
    return caches.open(pagesCache(user, session)).then(function (cache) {
      return Promise.all(
        urls
          .filter(function (url) {
            return entrySession(new URL(url, self.location.origin).pathname) === session;
          })
          .map(function (url) {
            return cache.match(url).then(function (found) {
              if (found) {
                return null;
              }
              return fetch(url, { credentials: "same-origin", redirect: "follow" })
                .then(function (response) {
                  return worthKeeping(response) ? cache.put(url, response) : null;
                })
                .catch(function () {});
            });
          }),
      );
    });
  });
}

function offlinePage() {
  return caches.match(config.offline, { cacheName: STATIC }).then(function (found) {
    return found || new Response("No connection.", { status: 503 });
  });
}

function navigate(request) {
  var url = new URL(request.url);
  var session = entrySession(url.pathname);
  var page = url.origin + url.pathname; // kept without ?add=… or ?check=…
  return fetch(request)
    .then(function (response) {
      if (!session) {
        return response;
      }
      return currentUser().then(function (user) {
        var name = pagesCache(user, session);
        if (user && worthKeeping(response)) {
          var copy = response.clone();
          caches.open(name).then(function (cache) {
            cache.put(page, copy);
          });
        } else if (response.redirected || response.type === "opaqueredirect") {
          caches.delete(name); // submitted, verified, logged out: nothing more to do offline
        }
        return response;
      });
    })
    .catch(function () {
      if (!session) {
        return offlinePage();
      }
      return currentUser().then(function (user) {
        return caches
          .open(pagesCache(user, session))
          .then(function (cache) {
            return user ? cache.match(page, { ignoreVary: true }) : null;
          })
          .then(function (found) {
            return found || offlinePage();
          });
      });
    });
}

// Static files: from the device first, and fetched again behind it for next time.
function staticFile(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (found) {
      var fresh = fetch(request)
        .then(function (response) {
          if (response.ok) {
            cache.put(request, response.clone());
          }
          return response;
        })
        .catch(function () {
          return found || Response.error();
        });
      return found || fresh;
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC)
      .then(function (cache) {
        return cache.addAll([config.offline].concat(config.statics));
      })
      .then(function () {
        return self.skipWaiting();
      }),
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("ufm-static-") === 0 && name !== STATIC;
            })
            .map(function (name) {
              return caches.delete(name);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var work = null;
  if (data.type === "user") {
    work = setUser(String(data.user || ""));
  } else if (data.type === "keep") {
    work = keep(String(data.user), String(data.session), data.urls || []);
  } else if (data.type === "forget") {
    // {user, keep: [session, …]}: drop that person's other interviews; without keep, all.
    var kept = (data.keep || []).map(String);
    work = forget(function (owner, name) {
      return (
        owner === String(data.user) &&
        kept.indexOf(name.slice(pagesCache(owner, "").length)) === -1
      );
    });
  }
  if (work) {
    event.waitUntil(work);
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return; // POSTs (saves, log-in, log-out) always go to the server, as sent
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  }
});

// For node --test (tests/js/): the pure parts.
self.ufmWorker = { entrySession: entrySession, pagesCache: pagesCache, whoseCache: whoseCache };
