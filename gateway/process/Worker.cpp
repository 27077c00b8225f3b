#include "gateway/process/Worker.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "gateway/apps/AppRegistry.h"
#include "gateway/net/ConnectionManager.h"
#include "gateway/net/EventLoop.h"
#include "gateway/net/HandlerPool.h"
#include "gateway/net/Listener.h"
#include "gateway/obs/AccessLog.h"
#include "gateway/obs/ErrorLog.h"
#include "gateway/obs/HealthHandler.h"
#include "gateway/obs/Metrics.h"
#include "gateway/obs/MetricsHandler.h"
#include "gateway/obs/WorkerSlots.h"
#include "gateway/route/Router.h"
#include "gateway/static/MimeTypes.h"
#include "gateway/static/StaticHandler.h"

namespace gateway {
namespace {

constexpr int kTickMs = 100;

sigset_t handledSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGHUP}) sigaddset(&set, sig);
    return set;
}

}  // namespace

/// Everything a worker owns, in construction order: handlers before the router that points at
/// them, the manager before the listener that feeds it, and the handler pool after the apps and
/// connections its jobs use (so it is joined first).
class Worker::Parts final : public EventHandler {
public:
    Parts(const Settings& settings, ListenSocket& socket, std::shared_ptr<const PluginSet> plugins,
          RefusedApps refused)
        : settings(settings),
          socket(socket),
          accessLog(settings.accessLog, AccessLog::formatNamed(settings.accessLogFormat)),
          staticFiles(settings),
          apps(settings, plugins),
          router(staticFiles),
          connections(loop, router, accessLog, settings),
          listener(loop, connections, socket.fd()) {
        connections.setLocalPort(socket.port());
        const bool noAppsFolder = plugins->missingFolder();
        loadApps();
        if (refused == RefusedApps::Fail && settings.needApp && noAppsFolder)
            throw std::runtime_error("apps folder '" + settings.appsDir +
                                     "' not found (need-app is on)");
        if (refused == RefusedApps::Fail && !apps.refusals().empty())
            throw std::runtime_error(std::to_string(apps.refusals().size()) +
                                     " app(s) refused, the first: " + apps.refusals().front());
        if (!settings.metricsPath.empty()) mountMetrics();
        // A mount like the metrics: the longest prefix wins, so it answers ahead of an app on
        // "/"; an app on the very same path is a startup error.
        if (!settings.healthPath.empty()) router.mounts().add(settings.healthPath, health);
        apps.mountInto(router.mounts());
        if (metrics) countMounts();
        if (!apps.hosts().empty()) {
            pool = std::make_unique<HandlerPool>(settings.threads);
            connections.setHandlerPool(pool.get());
        }
        const sigset_t set = handledSignals();
        signalFd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
        if (signalFd < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
        loop.add(signalFd, EPOLLIN, this);
    }
    ~Parts() { ::close(signalFd); }

    void onEvents(std::uint32_t) override {
        signalfd_siginfo info{};
        while (::read(signalFd, &info, sizeof(info)) == sizeof(info)) {
            switch (info.ssi_signo) {
                case SIGTERM:
                case SIGINT:
                    beginShutdown();
                    break;
                case SIGQUIT:
                    loop.stop();
                    break;
                case SIGUSR1:
                    accessLog.reopen();
                    ErrorLog::reopen();
                    break;
                case SIGHUP:
                    // Under a master, SIGHUP is the master's; here there is none to reload.
                    if (settings.workers == 0)
                        logger.notice(
                            "SIGHUP: reloading needs a master (--workers 1 or more); "
                            "restart to reload");
                    break;
                default:
                    break;
            }
        }
    }

    /// The metrics endpoint, before the apps (an app on the same path is a startup error). A
    /// worker under a master counts into its slot of the master's region; a single-process
    /// gateway maps a region of its own.
    /// Loads and inits the apps, each step marked in the worker's slot: a plugin that crashes
    /// or hangs there is named by the master ("app x at /: init /srv/apps/x.so").
    void loadApps() {
        std::optional<WorkerSlots::Scope> step;
        apps.onStep([&step](const std::string& file, std::string_view stage) {
            step.reset();
            step.emplace(std::filesystem::path(file).stem().string(), "", stage, file, 0);
        });
        apps.load();
        apps.onStep({});
    }

    void mountMetrics() {
        WorkerSlots* region = WorkerSlots::attachedRegion();
        WorkerSlot* slot = WorkerSlots::attachedSlot();
        if (!region) {
            ownSlots = std::make_unique<WorkerSlots>();
            slot = &ownSlots->slot(ownSlots->claim(1));
            ownSlots->setGeneration(1);
            region = ownSlots.get();
        }
        metricsHandler =
            std::make_unique<MetricsHandler>(*region, CidrList::parse(settings.metricsAllow));
        router.mounts().add(settings.metricsPath, *metricsHandler);
        metrics = std::make_unique<Metrics>(slot->counters);
    }

    void countMounts() {
        for (const MountTable::Mount& mount : router.mounts().mounts())
            metrics->addMount(mount.prefix, mount.handler);
        for (const auto& host : apps.hosts())
            metrics->addApp(host->instance().name(), host->instance().app().version(),
                            host->instance().mount());
        connections.setMetrics(metrics.get());
    }

    void beginShutdown() {
        if (shutdownDeadlineMs) return;
        logger.information("shutting down: finishing in-flight requests");
        shutdownDeadlineMs = EventLoop::nowMs() + settings.shutdownGrace.count();
        listener.stop();
        socket.close();
        health.drain();
        connections.shutdown();
    }

    void tick(std::int64_t nowMs) {
        connections.tick(nowMs);
        listener.tick(nowMs);
        if (connections.date().now() != lastFlush) {
            lastFlush = connections.date().now();
            accessLog.flush();
        }
        if (shutdownDeadlineMs) {
            if (connections.openCount() == 0) {
                loop.stop();
            } else if (nowMs >= shutdownDeadlineMs) {
                logger.warning("shutdown grace period over: closing " +
                               std::to_string(connections.openCount()) + " connection(s)");
                loop.stop();
            }
        }
    }

    const Settings& settings;
    ListenSocket& socket;
    Poco::Logger& logger = Poco::Logger::get("gateway");
    EventLoop loop;
    AccessLog accessLog;
    std::unique_ptr<WorkerSlots> ownSlots;  ///< single process with metrics: its own region
    std::unique_ptr<MetricsHandler> metricsHandler;
    std::unique_ptr<Metrics> metrics;  ///< outlives the connections (their bodies count in it)
    HealthHandler health;              ///< mounted only with --health
    StaticHandler staticFiles;
    AppRegistry apps;
    Router router;
    ConnectionManager connections;
    std::unique_ptr<HandlerPool> pool;
    Listener listener;
    int signalFd = -1;
    std::int64_t shutdownDeadlineMs = 0;
    std::time_t lastFlush = 0;
};

Worker::Worker(const Settings& settings, ListenSocket& socket,
               std::shared_ptr<const PluginSet> plugins, RefusedApps refused)
    : _parts(std::make_unique<Parts>(settings, socket, std::move(plugins), refused)) {}

Worker::~Worker() = default;

void Worker::blockSignals() {
    const sigset_t set = handledSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);  // a vanished client shows up as EPIPE, not a signal
}

void Worker::prepareShared() {
    MimeTypes::system();
}

void Worker::run(const std::function<void()>& onReady) {
    Parts& parts = *_parts;
    parts.loop.setTick([&parts](std::int64_t nowMs) { parts.tick(nowMs); }, kTickMs);
    parts.listener.start();
    if (onReady) onReady();
    parts.loop.run();
    parts.accessLog.flush();
    if (parts.pool && parts.pool->busy() > 0) {
        // Handlers still running past the grace period (a hung app) cannot be cancelled, and
        // joining them could wait forever: leave without them.
        parts.logger.warning(std::to_string(parts.pool->busy()) +
                             " handler(s) still running: exiting without them");
        std::fflush(nullptr);
        std::_Exit(0);
    }
}

}  // namespace gateway
