#include "gateway/net/ConnectionManager.h"

#include <algorithm>

#include "gateway/net/Connection.h"
#include "gateway/obs/Metrics.h"

namespace gateway {
namespace {

constexpr std::size_t kReadBufferSize = 16 * 1024;
constexpr std::size_t kIdleBuffers = 256;
constexpr std::int64_t kLingerMs = 2000;
constexpr std::size_t kBodyScratchSize = 256 * 1024;
/// Once shutting down, an idle keep-alive connection is closed after this much silence.
constexpr std::int64_t kDrainIdleMs = 1000;

}  // namespace

ConnectionManager::ConnectionManager(EventLoop& loop, Router& router, AccessLog& accessLog,
                                     const Settings& settings)
    : _loop(loop),
      _router(router),
      _accessLog(accessLog),
      _settings(settings),
      _parserLimits(parserLimitsOf(settings)),
      _trustedProxies(CidrList::parse(settings.trustedProxies)),
      _buffers(kReadBufferSize, kIdleBuffers),
      _request(std::make_unique<Request>()),
      _maxInput(settings.maxRequestLine + settings.maxHeaderBytes + 4096),
      _nowMs(EventLoop::nowMs()),
      _headTimeouts(settings.headerTimeout.count()),
      _idleTimeouts(settings.idleTimeout.count()),
      _writeTimeouts(settings.writeTimeout.count()),
      _lingerTimeouts(std::min<std::int64_t>(kLingerMs, settings.headerTimeout.count())),
      _bodyTimeouts(settings.bodyTimeout.count()) {
    _head.reserve(4096);
    _response.headers.reserve(1024);
}

ConnectionManager::~ConnectionManager() {
    for (auto* list : {&_open, &_closing, &_free})
        for (Connection* connection : *list) delete connection;
}

std::span<char> ConnectionManager::bodyScratch() {
    if (!_bodyScratch) _bodyScratch = std::make_unique_for_overwrite<char[]>(kBodyScratchSize);
    return {_bodyScratch.get(), kBodyScratchSize};
}

void ConnectionManager::adopt(int fd, const sockaddr_in6& peer) {
    Connection* connection;
    if (_free.empty()) {
        connection = new Connection(*this);
    } else {
        connection = _free.back();
        _free.pop_back();
    }
    connection->managerIndex = _open.size();
    _open.push_back(connection);
    if (_metrics) _metrics->setOpenConnections(_open.size());
    connection->open(fd, peer, _nowMs);
}

void ConnectionManager::closed(Connection& connection) {
    // Swap-remove from the open list; the object stays untouched until the next tick, because
    // the current epoll batch may still hold events pointing at it.
    Connection* last = _open.back();
    _open[connection.managerIndex] = last;
    last->managerIndex = connection.managerIndex;
    _open.pop_back();
    if (_metrics) _metrics->setOpenConnections(_open.size());
    _closing.push_back(&connection);
}

void ConnectionManager::expire(TimeoutList& list, std::int64_t nowMs) {
    while (TimeoutHook* hook = list.due(nowMs)) {
        // onTimeout() unlinks the hook (it needs to know which list expired first).
        static_cast<Connection*>(hook->owner)->onTimeout();
    }
}

void ConnectionManager::tick(std::int64_t nowMs) {
    _nowMs = nowMs;
    _date.refresh();
    for (TimeoutList* list :
         {&_headTimeouts, &_idleTimeouts, &_writeTimeouts, &_lingerTimeouts, &_bodyTimeouts})
        expire(*list, nowMs);
    std::erase_if(_watched, [nowMs](Connection* c) { return !c->watchDeadline(nowMs); });
    for (Connection* connection : _closing) _free.push_back(connection);
    _closing.clear();
}

void ConnectionManager::shutdown() {
    _shuttingDown = true;
    // Every connection in the idle list is re-armed below, so the list stays sorted.
    _idleTimeouts.setTimeout(std::min(kDrainIdleMs, _idleTimeouts.timeout()));
    // Iterate over a copy: shutting a connection down may close it and reorder _open.
    const std::vector<Connection*> open = _open;
    for (Connection* connection : open) connection->shutdown();
}

}  // namespace gateway
