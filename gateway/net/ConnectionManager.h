#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "gateway/config/Settings.h"
#include "gateway/http/CidrList.h"
#include "gateway/http/DateCache.h"
#include "gateway/http/Request.h"
#include "gateway/http/RequestId.h"
#include "gateway/http/RequestParser.h"
#include "gateway/http/Response.h"
#include "gateway/net/BufferPool.h"
#include "gateway/net/EventLoop.h"
#include "gateway/net/TimeoutList.h"

namespace gateway {

class AccessLog;
class Connection;
class HandlerPool;
class Metrics;
class Router;

/// Owns a worker's connections and what they share: the scratch Request/Response (one request is
/// handled at a time per loop), buffer pool, Date cache and the timeout lists.
class ConnectionManager {
public:
    ConnectionManager(EventLoop& loop, Router& router, AccessLog& accessLog,
                      const Settings& settings);
    ~ConnectionManager();

    bool atCapacity() const { return _open.size() >= _settings.maxConnections; }
    std::size_t openCount() const { return _open.size(); }
    /// Where offloaded requests run (set by the worker when it has handlers that offload).
    void setHandlerPool(HandlerPool* pool) { _pool = pool; }
    HandlerPool* handlerPool() { return _pool; }
    /// Where requests and connections are counted (nullptr: metrics are off).
    void setMetrics(Metrics* metrics) { _metrics = metrics; }
    Metrics* metrics() { return _metrics; }
    /// The listener's port, for SERVER_PORT.
    void setLocalPort(std::uint16_t port) { _localPort = port; }
    std::uint16_t localPort() const { return _localPort; }

    /// Take over an accepted non-blocking socket.
    void adopt(int fd, const sockaddr_in6& peer);

    /// Expire timeouts, refresh the Date, recycle closed connections. Called by the loop.
    void tick(std::int64_t nowMs);

    /// Stop keeping connections alive: idle ones close now, busy ones after their response.
    void shutdown();
    bool shuttingDown() const { return _shuttingDown; }

    // Shared with connections.
    EventLoop& loop() { return _loop; }
    Router& router() { return _router; }
    AccessLog& accessLog() { return _accessLog; }
    RequestIdGenerator& requestIds() { return _requestIds; }
    const Settings& settings() const { return _settings; }
    const ParserLimits& parserLimits() const { return _parserLimits; }
    /// --trusted-proxies: peers whose X-Forwarded-For/-Proto name the client (empty: nobody).
    const CidrList& trustedProxies() const { return _trustedProxies; }
    DateCache& date() { return _date; }
    BufferPool& buffers() { return _buffers; }
    Request& scratchRequest() { return *_request; }
    Response& scratchResponse() { return _response; }
    std::string& scratchHead() { return _head; }
    /// Where request bodies of known length are read in large pieces (loop thread only).
    std::span<char> bodyScratch();
    std::size_t maxInputBuffer() const { return _maxInput; }
    std::int64_t nowMs() const { return _nowMs; }

    TimeoutList& headTimeouts() { return _headTimeouts; }
    TimeoutList& idleTimeouts() { return _idleTimeouts; }
    TimeoutList& writeTimeouts() { return _writeTimeouts; }
    TimeoutList& lingerTimeouts() { return _lingerTimeouts; }
    TimeoutList& bodyTimeouts() { return _bodyTimeouts; }

    /// A connection closed its socket: recycle it after the current batch of events.
    void closed(Connection& connection);
    /// Check this offloaded connection's deadline on every tick until it says it is done.
    void watch(Connection& connection) { _watched.push_back(&connection); }

private:
    void expire(TimeoutList& list, std::int64_t nowMs);

    EventLoop& _loop;
    Router& _router;
    AccessLog& _accessLog;
    RequestIdGenerator _requestIds;  ///< made in the worker, so every worker has its own prefix
    const Settings& _settings;
    ParserLimits _parserLimits;
    CidrList _trustedProxies;
    DateCache _date;
    BufferPool _buffers;
    std::unique_ptr<Request> _request;
    Response _response;
    std::string _head;
    std::unique_ptr<char[]> _bodyScratch;  ///< allocated on first use
    std::size_t _maxInput;
    std::int64_t _nowMs;
    bool _shuttingDown = false;
    HandlerPool* _pool = nullptr;
    Metrics* _metrics = nullptr;
    std::uint16_t _localPort = 0;

    TimeoutList _headTimeouts;
    TimeoutList _idleTimeouts;
    TimeoutList _writeTimeouts;
    TimeoutList _lingerTimeouts;
    TimeoutList _bodyTimeouts;

    std::vector<Connection*> _open;     ///< serving now
    std::vector<Connection*> _closing;  ///< closed in this batch: not reusable until tick()
    std::vector<Connection*> _free;     ///< ready for reuse
    std::vector<Connection*> _watched;  ///< offloaded with a deadline (few: bounded by the pool)
};

}  // namespace gateway
