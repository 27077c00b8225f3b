// router.hpp - method and path dispatch for one app: routes with path parameters, 404 and 405
// with a correct Allow, HEAD served by GET routes. Header-only, C++17.
//
//     #include "gateway/router.hpp"
//
//     #include <string>
//
//     namespace sdk = gateway::sdk;
//
//     class Notes {
//     public:
//         explicit Notes(const sdk::Config&) {
//             _router.get("/notes", [](sdk::Request&) { return sdk::Response::json("[]"); })
//                 .get("/notes/{id}",
//                      [](sdk::Request&, const sdk::PathParams& params) {
//                          return sdk::Response::json("{\"id\":\"" + sdk::jsonEscape(params["id"])
//                          +
//                                                     "\"}");
//                      })
//                 .del("/notes/{id}", [](sdk::Request&) { return sdk::Response(204); });
//         }
//         sdk::Response call(sdk::Request& request) { return _router.call(request); }
//
//     private:
//         sdk::Router _router;
//     };
//
//     GATEWAY_APP(Notes, "notes", "1.0.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING)
//
// GET /notes/7 runs the second handler with params["id"] == "7"; HEAD /notes/7 runs it too
// (the host sends the head alone); PUT /notes/7 is a 405 with "Allow: GET, HEAD, DELETE";
// GET /other is a 404.
//
// Rules:
//   - Patterns are paths below the mount (PATH_INFO), starting with '/'. A segment is literal
//     text (compared exactly, as the decoded path reads), a parameter "{name}" (one non-empty
//     segment), or, last only, "{name...}" (the rest of the path after that '/', possibly empty
//     or with more '/'). Names are [A-Za-z0-9_], unique per pattern, at most 8. A malformed
//     pattern throws std::invalid_argument when registered (in the constructor: init fails).
//   - Trailing slashes count: "/notes" and "/notes/" are different paths (a 404 for the one
//     without a route). The mount itself (PATH_INFO "") matches "/".
//   - The most specific route wins: segment by segment from the left, literal before parameter
//     before "{rest...}". Among routes for the same pattern: head() routes, then method routes,
//     then any(). Otherwise registration order.
//   - A route takes its own method; a get() route takes HEAD too; an any() route takes every
//     method. No route for the path: 404. Routes for the path but none for the method: 405 with
//     Allow listing their methods (HEAD wherever GET is); OPTIONS is answered only by a route.
//   - Router::call() allocates nothing to match (the parameters are views into PATH_INFO);
//     routes are compiled when registered. Register everything before the first request.
#ifndef GATEWAY_ROUTER_HPP
#define GATEWAY_ROUTER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gateway/app.hpp"

namespace gateway::sdk {

/// The path parameters of the matched route, as views into PATH_INFO (valid during the
/// request).
class PathParams {
public:
    static constexpr std::size_t kMax = 8;

    /// The value of parameter `name`. A name the route's pattern does not have is a bug in the
    /// app: it throws std::out_of_range (a 500, logged).
    std::string_view operator[](std::string_view name) const {
        if (const std::optional<std::string_view> value = get(name)) return *value;
        throw std::out_of_range("no path parameter {" + std::string(name) + "} in this route");
    }
    /// The value of parameter `name`, or nullopt.
    std::optional<std::string_view> get(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < _count; ++i)
            if (_names[i] == name) return _values[i];
        return std::nullopt;
    }
    /// Number of parameters, and each one's name and value in pattern order.
    std::size_t size() const noexcept { return _count; }
    std::string_view name(std::size_t i) const noexcept { return _names[i]; }
    std::string_view value(std::size_t i) const noexcept { return _values[i]; }

private:
    friend class Router;
    const std::string* _names = nullptr;
    std::string_view _values[kMax];
    std::size_t _count = 0;
};

/// Routes requests to handlers by method and PATH_INFO (rules in the header comment). Build it
/// in the app's constructor, call call() from the app's call(). Matching is read-only, so
/// concurrent requests may share one Router (GW_APP_THREAD_SAFE).
class Router {
public:
    /// A handler: Response(Request&, const PathParams&), or Response(Request&) when it needs no
    /// parameters. It may throw Error (e.g. Error::json(404, ...)) like any call().
    using Handler = std::function<Response(Request&, const PathParams&)>;
    /// The router's own 404 and 405 bodies: Error(status, message) by default (text/plain).
    /// The router adds Allow to the 405 itself.
    using ErrorFormat = std::function<Error(int status, std::string_view message)>;

    Router() {
        for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
            _methods.emplace_back(method);
    }

    template <class F>
    Router& get(std::string_view pattern, F handler) {
        return route("GET", pattern, std::move(handler));
    }
    template <class F>
    Router& head(std::string_view pattern, F handler) {
        return route("HEAD", pattern, std::move(handler));
    }
    template <class F>
    Router& post(std::string_view pattern, F handler) {
        return route("POST", pattern, std::move(handler));
    }
    template <class F>
    Router& put(std::string_view pattern, F handler) {
        return route("PUT", pattern, std::move(handler));
    }
    template <class F>
    Router& patch(std::string_view pattern, F handler) {
        return route("PATCH", pattern, std::move(handler));
    }
    /// DELETE ("delete" is a C++ keyword).
    template <class F>
    Router& del(std::string_view pattern, F handler) {
        return route("DELETE", pattern, std::move(handler));
    }
    template <class F>
    Router& options(std::string_view pattern, F handler) {
        return route("OPTIONS", pattern, std::move(handler));
    }
    /// Every method (no 405 for this pattern).
    template <class F>
    Router& any(std::string_view pattern, F handler) {
        return add(kAnyMethod, pattern, wrap(std::move(handler)));
    }
    /// `method` (a token, case-sensitive: "GET", "PROPFIND").
    template <class F>
    Router& route(std::string_view method, std::string_view pattern, F handler) {
        if (!::gateway::detail::isToken(method))
            throw std::invalid_argument("route method \"" + std::string(method) +
                                        "\" is not a token");
        int index = methodIndex(method);
        if (index < 0) {
            if (_methods.size() == kMaxMethods) throw std::invalid_argument("too many methods");
            index = static_cast<int>(_methods.size());
            _methods.emplace_back(method);
        }
        return add(index, pattern, wrap(std::move(handler)));
    }

    /// Sets how the router's own 404 and 405 look, e.g. in JSON:
    ///     router.errors([](int status, std::string_view message) {
    ///         return gateway::sdk::Error::json(status, "{\"error\":\"" +
    ///                                                      gateway::sdk::jsonEscape(message) +
    ///                                                      "\"}");
    ///     });
    Router& errors(ErrorFormat format) {
        _format = std::move(format);
        return *this;
    }

    /// Dispatches `request`: the matched handler's Response, or the 404 / 405.
    Response call(Request& request) const {
        const std::string_view method = request.method(), path = request.pathInfo();
        const int wanted = methodIndex(method);
        const bool head = method == "HEAD";
        std::string_view values[PathParams::kMax];
        std::uint64_t allowed = 0;
        for (const Route& route : _routes) {
            if (!matchPath(route, path, values)) continue;
            const bool takes = route.method == kAnyMethod || route.method == wanted ||
                               (head && route.method == kGet);
            if (!takes) {
                allowed |= std::uint64_t{1} << route.method;
                continue;
            }
            PathParams params;
            params._names = route.names.data();
            params._count = route.names.size();
            std::copy(values, values + params._count, params._values);
            return route.handler(request, params);
        }
        if (allowed == 0) return Response(_format(404, "Not Found"));
        return Response(_format(405, "Method Not Allowed").withHeader("Allow", allow(allowed)));
    }

private:
    static constexpr int kAnyMethod = -1;
    static constexpr int kGet = 0, kHead = 1;  // the first entries of _methods
    static constexpr std::size_t kMaxMethods = 64;

    enum class Kind : unsigned char { Literal, Param, Rest };  // in order of precedence
    struct Segment {
        Kind kind;
        std::string text;  // the literal, or the parameter's name
    };
    struct Route {
        std::vector<Segment> segments;
        std::vector<std::string> names;  // the parameters, in order
        int method;
        Handler handler;
    };

    template <class F>
    static Handler wrap(F handler) {
        if constexpr (std::is_invocable_r_v<Response, F&, Request&, const PathParams&>) {
            return Handler(std::move(handler));
        } else {
            static_assert(std::is_invocable_r_v<Response, F&, Request&>,
                          "a route handler is Response(Request&, const PathParams&) or "
                          "Response(Request&)");
            return [handler = std::move(handler)](Request& request, const PathParams&) mutable {
                return handler(request);
            };
        }
    }

    int methodIndex(std::string_view method) const noexcept {
        for (std::size_t i = 0; i < _methods.size(); ++i)
            if (_methods[i] == method) return static_cast<int>(i);
        return -1;
    }

    /// Sorts before `b` when more specific (see the rules above); stable otherwise.
    static bool moreSpecific(const Route& a, const Route& b) {
        const auto kinds = [](const Segment& x, const Segment& y) { return x.kind < y.kind; };
        if (std::lexicographical_compare(a.segments.begin(), a.segments.end(), b.segments.begin(),
                                         b.segments.end(), kinds))
            return true;
        if (std::lexicographical_compare(b.segments.begin(), b.segments.end(), a.segments.begin(),
                                         a.segments.end(), kinds))
            return false;
        const auto rank = [](int method) {
            return method == kHead ? 0 : method == kAnyMethod ? 2 : 1;
        };
        return rank(a.method) < rank(b.method);
    }

    Router& add(int method, std::string_view pattern, Handler handler) {
        Route route{compile(pattern), {}, method, std::move(handler)};
        for (const Segment& segment : route.segments)
            if (segment.kind != Kind::Literal) route.names.push_back(segment.text);
        _routes.push_back(std::move(route));
        std::stable_sort(_routes.begin(), _routes.end(), moreSpecific);
        return *this;
    }

    static std::vector<Segment> compile(std::string_view pattern) {
        const auto bad = [&](const char* why) {
            return std::invalid_argument("route \"" + std::string(pattern) + "\": " + why);
        };
        if (pattern.empty() || pattern.front() != '/') throw bad("must start with '/'");
        std::vector<Segment> segments;
        std::size_t params = 0;
        for (std::string_view text : PathSegments(pattern)) {
            if (!segments.empty() && segments.back().kind == Kind::Rest)
                throw bad("{name...} must be the last segment");
            const bool braced = text.size() >= 2 && text.front() == '{' && text.back() == '}';
            if (!braced) {
                if (text.find_first_of("{}") != std::string_view::npos)
                    throw bad("a parameter must be a whole segment, {name}");
                segments.push_back({Kind::Literal, std::string(text)});
                continue;
            }
            std::string_view name = text.substr(1, text.size() - 2);
            Kind kind = Kind::Param;
            if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
                kind = Kind::Rest;
                name.remove_suffix(3);
            }
            const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
                return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                       (c >= 'A' && c <= 'Z');
            });
            if (!valid) throw bad("parameter names are [A-Za-z0-9_]+");
            for (const Segment& s : segments)
                if (s.kind != Kind::Literal && s.text == name) throw bad("repeated parameter name");
            if (++params > PathParams::kMax) throw bad("more than 8 parameters");
            segments.push_back({kind, std::string(name)});
        }
        return segments;
    }

    /// Whether `path` (PATH_INFO; "" is the mount itself, read as "/") matches `route`; the
    /// parameters' values go to `values`.
    static bool matchPath(const Route& route, std::string_view path,
                          std::string_view* values) noexcept {
        const PathSegments segments(path.empty() ? std::string_view("/") : path);
        auto at = segments.begin();
        for (const Segment& segment : route.segments) {
            if (at == segments.end()) return false;
            if (segment.kind == Kind::Rest) {
                *values = at.rest();
                return true;
            }
            const std::string_view text = *at;
            if (segment.kind == Kind::Literal ? text != segment.text : text.empty()) return false;
            if (segment.kind == Kind::Param) *values++ = text;
            ++at;
        }
        return at == segments.end();
    }

    /// The Allow value for a set of method bits: canonical order, HEAD wherever GET is.
    std::string allow(std::uint64_t methods) const {
        if (methods & (std::uint64_t{1} << kGet)) methods |= std::uint64_t{1} << kHead;
        std::string text;
        for (std::size_t i = 0; i < _methods.size(); ++i) {
            if (!(methods & (std::uint64_t{1} << i))) continue;
            if (!text.empty()) text += ", ";
            text += _methods[i];
        }
        return text;
    }

    std::vector<std::string> _methods;  // GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, others
    std::vector<Route> _routes;         // most specific first
    ErrorFormat _format = [](int status, std::string_view message) {
        return Error(status, std::string(message));
    };
};

}  // namespace gateway::sdk

#endif  // GATEWAY_ROUTER_HPP
