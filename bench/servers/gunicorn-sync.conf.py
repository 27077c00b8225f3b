# gunicorn for bench/run: one sync worker (it closes the connection after every response).
# gunicorn logs no requests by default.
bind = "127.0.0.1:@PORT@"
chdir = "@WSGI@"
workers = 1
worker_class = "sync"
loglevel = "warning"
graceful_timeout = 2
