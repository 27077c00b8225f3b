// idle_connections: open N keep-alive connections to a server, send one GET on each, check that
// each got a complete 200 response, then hold them all open until told to let go (a line or EOF
// on stdin, SIGINT/SIGTERM, or the hold deadline). The benchmark measures the server's memory
// while they are held.
//
//   idle_connections --port P [--host 127.0.0.1] [--connections 10000] [--path /]
//                    [--batch 256] [--timeout 60] [--hold 600]
//
// Prints, one per line on stdout (flushed, so a script can wait for them):
//   answered A of N (failed F)      when every connection is answered or --timeout passed
//   holding                         the connections are held from here on
//   still_open K                    on release: how many the server had not closed meanwhile
// Exit status 0 only when all N were answered and all were still open on release.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string host = "127.0.0.1";
    std::string port;
    std::string path = "/";
    std::size_t connections = 10000;
    std::size_t batch = 256;  ///< connections in flight (not yet answered) at once
    int timeoutSeconds = 60;  ///< to get every connection answered
    int holdSeconds = 600;    ///< longest hold before letting go by itself
};

[[noreturn]] void usage(const char* message) {
    std::fprintf(stderr,
                 "idle_connections: %s\nusage: idle_connections --port P [--host H] "
                 "[--connections N] [--path /] [--batch N] [--timeout S] [--hold S]\n",
                 message);
    std::exit(2);
}

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc) usage("missing value after a flag");
        const char* value = argv[++i];
        if (flag == "--host")
            options.host = value;
        else if (flag == "--port")
            options.port = value;
        else if (flag == "--path")
            options.path = value;
        else if (flag == "--connections")
            options.connections = std::strtoul(value, nullptr, 10);
        else if (flag == "--batch")
            options.batch = std::strtoul(value, nullptr, 10);
        else if (flag == "--timeout")
            options.timeoutSeconds = std::atoi(value);
        else if (flag == "--hold")
            options.holdSeconds = std::atoi(value);
        else
            usage("unknown flag");
    }
    if (options.port.empty()) usage("--port is required");
    if (options.connections == 0 || options.batch == 0) usage("counts must be positive");
    return options;
}

/// One client connection and the response read on it so far.
struct Connection {
    enum class State { Idle, Connecting, Reading, Answered, Failed };
    int fd = -1;
    State state = State::Idle;
    std::string received;
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

enum class Verdict { Incomplete, Complete, Bad };

/// Is `data` one complete 200 response (Content-Length or chunked framing)?
Verdict checkResponse(std::string_view data) {
    const std::size_t headEnd = data.find("\r\n\r\n");
    if (headEnd == std::string_view::npos) return Verdict::Incomplete;
    if (data.substr(0, 9) != "HTTP/1.1 " && data.substr(0, 9) != "HTTP/1.0 ") return Verdict::Bad;
    if (data.substr(9, 3) != "200") return Verdict::Bad;
    const std::string_view head = data.substr(0, headEnd);
    const std::string_view body = data.substr(headEnd + 4);
    std::size_t lineStart = head.find("\r\n");
    while (lineStart != std::string_view::npos) {
        lineStart += 2;
        const std::size_t lineEnd = head.find("\r\n", lineStart);
        const std::string_view line = head.substr(lineStart, lineEnd - lineStart);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            const std::string_view name = line.substr(0, colon);
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            if (equalsIgnoreCase(name, "content-length")) {
                const std::size_t length = std::strtoull(std::string(value).c_str(), nullptr, 10);
                if (body.size() > length) return Verdict::Bad;  // one request, one response
                return body.size() == length ? Verdict::Complete : Verdict::Incomplete;
            }
            if (equalsIgnoreCase(name, "transfer-encoding"))
                return body.ends_with("0\r\n\r\n") ? Verdict::Complete : Verdict::Incomplete;
        }
        lineStart = lineEnd;
    }
    return Verdict::Bad;  // a keep-alive response needs a length
}

void raiseFileLimit(std::size_t wanted) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted)
        std::fprintf(stderr, "idle_connections: open-file limit %llu is below %zu\n",
                     static_cast<unsigned long long>(limit.rlim_cur), wanted);
}

/// Opens, answers and holds the connections.
class IdleClient {
public:
    IdleClient(const Options& options, const addrinfo& address)
        : _options(options), _address(address), _connections(options.connections) {
        _request = "GET " + options.path + " HTTP/1.1\r\nHost: " + options.host +
                   "\r\nUser-Agent: idle_connections\r\n\r\n";
        _epoll = epoll_create1(EPOLL_CLOEXEC);
    }

    ~IdleClient() {
        for (Connection& connection : _connections)
            if (connection.fd >= 0) close(connection.fd);
        close(_epoll);
    }

    /// Opens every connection (at most --batch unanswered at a time) until all are answered
    /// or the deadline passes. Returns the number answered.
    std::size_t openAll() {
        const Clock::time_point deadline =
            Clock::now() + std::chrono::seconds(_options.timeoutSeconds);
        std::vector<epoll_event> events(512);
        while (_answered + _failed < _connections.size() && Clock::now() < deadline) {
            while (_inFlight < _options.batch && _next < _connections.size()) start(_next++);
            const int ready =
                epoll_wait(_epoll, events.data(), static_cast<int>(events.size()), 100);
            for (int i = 0; i < ready; ++i) onEvent(events[static_cast<std::size_t>(i)]);
        }
        _failed = _connections.size() - _answered;
        return _answered;
    }

    std::size_t failed() const { return _failed; }

    /// How many answered connections the server has not closed.
    std::size_t stillOpen() const {
        std::size_t open = 0;
        char byte;
        for (const Connection& connection : _connections) {
            if (connection.state != Connection::State::Answered) continue;
            const ssize_t n = recv(connection.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
            if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) ++open;
        }
        return open;
    }

private:
    void start(std::size_t index) {
        Connection& connection = _connections[index];
        connection.fd = socket(_address.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (connection.fd < 0) return fail(index, "socket", errno);
        ++_inFlight;
        const int one = 1;
        setsockopt(connection.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(connection.fd, _address.ai_addr, _address.ai_addrlen) != 0 &&
            errno != EINPROGRESS)
            return fail(index, "connect", errno);
        connection.state = Connection::State::Connecting;
        epoll_event event{};
        event.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
        event.data.u64 = index;
        epoll_ctl(_epoll, EPOLL_CTL_ADD, connection.fd, &event);
    }

    void onEvent(const epoll_event& event) {
        const std::size_t index = event.data.u64;
        Connection& connection = _connections[index];
        if (connection.state == Connection::State::Connecting) {
            int error = 0;
            socklen_t length = sizeof error;
            getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) return fail(index, "connect", error);
            if (!(event.events & EPOLLOUT)) return;
            // A request this small always fits in an empty socket buffer.
            if (send(connection.fd, _request.data(), _request.size(), MSG_NOSIGNAL) !=
                static_cast<ssize_t>(_request.size()))
                return fail(index, "send", errno);
            connection.state = Connection::State::Reading;
            epoll_event reading{};
            reading.events = EPOLLIN | EPOLLRDHUP;
            reading.data.u64 = index;
            epoll_ctl(_epoll, EPOLL_CTL_MOD, connection.fd, &reading);
            return;
        }
        if (connection.state != Connection::State::Reading) return;
        char buffer[16384];
        for (;;) {
            const ssize_t n = recv(connection.fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                connection.received.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) return fail(index, "closed by server before a complete response", 0);
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            return fail(index, "recv", errno);
        }
        switch (checkResponse(connection.received)) {
            case Verdict::Incomplete:
                return;
            case Verdict::Bad: {
                const std::string firstLine =
                    connection.received.substr(0, connection.received.find('\r'));
                return fail(index, ("unexpected response: " + firstLine).c_str(), 0);
            }
            case Verdict::Complete:
                epoll_ctl(_epoll, EPOLL_CTL_DEL, connection.fd, nullptr);
                std::string().swap(connection.received);
                connection.state = Connection::State::Answered;
                ++_answered;
                --_inFlight;
                return;
        }
    }

    void fail(std::size_t index, const char* what, int error) {
        Connection& connection = _connections[index];
        if (connection.fd >= 0) {
            close(connection.fd);  // also leaves the epoll set
            connection.fd = -1;
            --_inFlight;
        }
        connection.state = Connection::State::Failed;
        if (++_failed <= 5)
            std::fprintf(stderr, "idle_connections: connection %zu: %s%s%s\n", index, what,
                         error ? ": " : "", error ? std::strerror(error) : "");
    }

    const Options& _options;
    const addrinfo& _address;
    std::vector<Connection> _connections;
    std::string _request;
    int _epoll = -1;
    std::size_t _next = 0;
    std::size_t _inFlight = 0;
    std::size_t _answered = 0;
    std::size_t _failed = 0;
};

/// Blocks until a line or EOF on stdin, SIGINT/SIGTERM, or `seconds` pass.
void waitForRelease(int seconds) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    const int signalFd = signalfd(-1, &signals, SFD_CLOEXEC);
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {signalFd, POLLIN, 0}};
    const Clock::time_point deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const int ready = poll(fds, 2, static_cast<int>(left.count()) + 1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) break;
        if (fds[1].revents) break;
        if (fds[0].revents) break;  // a line, EOF or a closed pipe: all mean "let go"
    }
    close(signalFd);
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    raiseFileLimit(options.connections + 16);

    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    if (const int rc =
            getaddrinfo(options.host.c_str(), options.port.c_str(), &hints, &addresses)) {
        std::fprintf(stderr, "idle_connections: %s: %s\n", options.host.c_str(), gai_strerror(rc));
        return 2;
    }

    std::size_t open = 0;
    std::size_t answered = 0;
    {
        IdleClient client(options, *addresses);
        answered = client.openAll();
        std::printf("answered %zu of %zu (failed %zu)\nholding\n", answered, options.connections,
                    client.failed());
        std::fflush(stdout);
        waitForRelease(options.holdSeconds);
        open = client.stillOpen();
        std::printf("still_open %zu\n", open);
        std::fflush(stdout);
    }
    freeaddrinfo(addresses);
    return answered == options.connections && open == answered ? 0 : 1;
}
