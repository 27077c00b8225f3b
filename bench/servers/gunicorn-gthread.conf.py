# gunicorn for bench/run: one gthread worker with 4 threads (keeps connections alive).
bind = "127.0.0.1:@PORT@"
chdir = "@WSGI@"
workers = 1
worker_class = "gthread"
threads = 4
loglevel = "warning"
graceful_timeout = 2
