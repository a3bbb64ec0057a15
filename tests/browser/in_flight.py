"""The live server's requests still being answered, so that a test's end can wait for them."""

import threading
import time


class RequestsInFlight:
    """The live server's WSGI application, counting the requests it is still answering.

    A page can leave requests running when its test ends: the service worker goes on caching
    an interview's other pages after the page itself is done. Closing the browser does not
    stop the live server's thread that is answering one, and on PostgreSQL the database
    flush after the test then deadlocks with it (TRUNCATE waits for a table the request has
    read, and the request for one TRUNCATE holds). So the tests wait for these to finish.
    A request's database work is over when Django returns its response (the streamed
    downloads are read to their end by the tests that ask for them), and a response may never
    be closed (the browser gone mid-write), so it counts until then."""

    def __init__(self, application):
        self.application = application
        self.running = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.running += 1
        try:
            return self.application(environ, start_response)
        finally:
            with self.lock:
                self.running -= 1

    def wait(self, seconds: float = 15.0) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(0.02)
