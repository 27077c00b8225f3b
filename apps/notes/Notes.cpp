// notes: a JSON REST API on the SDK 1.1 helpers and nlohmann::json; README.md explains it.
// GET and POST /notes (?q=word filters), GET, PUT and DELETE /notes/{id}; errors as JSON,
// {"error": "..."}. Config [app.notes]: max_note = 64k (a SIZE), max_notes = 1000 (an INTEGER).
// Notes live in memory, per mount and worker process: serve it with --workers 1.
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/router.hpp"

namespace sdk = gateway::sdk;
using nlohmann::json;

class Notes {
public:
    explicit Notes(const sdk::Config& config)
        : _maxNote(config.size("max_note", 64 * 1024)),
          _maxNotes(static_cast<std::size_t>(config.integer("max_notes", 1000, 1, 1000000))) {
        _router.errors(jsonError)
            .get("/", [this](sdk::Request& request) { return list(request); })
            .post("/", [this](sdk::Request& request) { return create(request); })
            .get("/{id}", [this](auto& request, auto& path) { return read(request, path); })
            .put("/{id}", [this](auto& request, auto& path) { return update(request, path); })
            .del("/{id}", [this](auto& request, auto& path) { return remove(request, path); });
    }

    // The SDK's own errors (a malformed query is a 400) in the app's format too.
    sdk::Response call(sdk::Request& request) try {
        return _router.call(request);
    } catch (const sdk::Error& e) {
        if (e.status() == 0 || e.contentType() == sdk::kJsonType) throw;
        return sdk::Response(jsonError(e.status(), e.what()));
    }

private:
    struct Note {
        std::uint64_t id;
        std::string text;
        std::uint64_t revision;  // unique per write: the ETag
    };

    /// Errors in the app's format, the router's too; bytes not UTF-8 are replaced, not thrown on.
    static sdk::Error jsonError(int status, std::string_view message) {
        return sdk::Error::json(
            status, json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace));
    }

    /// Where the note the path's {id} names is, or a 404. Call with _mutex held.
    auto find(const sdk::PathParams& path) {
        const std::string_view id = path["id"];
        std::uint64_t number = 0;
        const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
        const auto it = _notes.find(number);
        if (error != std::errc() || end != id.data() + id.size() || it == _notes.end())
            throw jsonError(404, "no such note");
        return it;
    }

    sdk::Response list(sdk::Request& request) {
        const std::string word(request.queryParams().get("q", ""));
        json notes = json::array();
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& [id, note] : _notes)
            if (note.text.find(word) != std::string::npos) notes.push_back(toJson(note));
        return sdk::Response::json(notes);
    }

    sdk::Response create(sdk::Request& request) {
        std::string text = readText(request);  // before taking the lock: reading may wait
        std::lock_guard<std::mutex> lock(_mutex);
        if (_notes.size() >= _maxNotes) throw jsonError(507, "note limit reached");
        const std::uint64_t id = _nextId++;
        const Note& note = _notes[id] = Note{id, std::move(text), ++_revision};
        return sdk::Response::json(toJson(note), 201)
            .header("Location", std::string(request.scriptName()) + "/" + std::to_string(id))
            .header("ETag", etag(note));
    }

    sdk::Response read(sdk::Request& request, const sdk::PathParams& path) {
        std::lock_guard<std::mutex> lock(_mutex);
        const Note& note = find(path)->second;
        if (auto early = precondition(request, note)) return std::move(*early);  // 304
        return sdk::Response::json(toJson(note)).header("ETag", etag(note));
    }

    sdk::Response update(sdk::Request& request, const sdk::PathParams& path) {
        std::string text = readText(request);
        std::lock_guard<std::mutex> lock(_mutex);
        Note& note = find(path)->second;
        if (auto early = precondition(request, note)) return std::move(*early);
        note = Note{note.id, std::move(text), ++_revision};
        return sdk::Response::json(toJson(note)).header("ETag", etag(note));
    }

    sdk::Response remove(sdk::Request& request, const sdk::PathParams& path) {
        std::lock_guard<std::mutex> lock(_mutex);
        const auto it = find(path);
        if (auto early = precondition(request, it->second)) return std::move(*early);
        _notes.erase(it);
        return sdk::Response(204);
    }

    /// The "text" of a request body {"text": "..."}, read up to max_note bytes.
    std::string readText(sdk::Request& request) const {
        const auto type = request.contentType();
        if (!type || !type->is("application/json"))
            throw jsonError(415, "expected application/json");
        json body;
        try {
            body = json::parse(request.readAll(_maxNote));
        } catch (const sdk::BodyTooLarge&) {  // ours or the mount's limit: answer in JSON
            throw jsonError(413, "a note takes at most " + std::to_string(_maxNote) + " bytes");
        } catch (const json::parse_error& e) {
            throw jsonError(400, e.what());
        }
        const auto text = body.find("text");  // end() when body is not an object
        if (text == body.end() || !text->is_string())
            throw jsonError(422, R"(expected {"text": "..."})");
        return text->get<std::string>();
    }

    /// The 304 (GET, HEAD) or 412 that If-None-Match / If-Match call for, if any.
    static std::optional<sdk::Response> precondition(sdk::Request& request, const Note& note) {
        auto early = request.evaluatePreconditions(etag(note));
        if (early && early->status() == 412) throw jsonError(412, "the note has changed");
        return early;
    }

    static std::string etag(const Note& note) { return '"' + std::to_string(note.revision) + '"'; }
    static json toJson(const Note& note) { return {{"id", note.id}, {"text", note.text}}; }

    const std::uint64_t _maxNote;
    const std::size_t _maxNotes;
    sdk::Router _router;  // built in the constructor, read-only after: shared by all threads
    std::mutex _mutex;    // guards what follows; never held while reading the request
    std::map<std::uint64_t, Note> _notes;
    std::uint64_t _nextId = 1;
    std::uint64_t _revision = 0;
};

// Thread-safe (the mutex), and non-blocking: the lock is held only around map operations, and
// the host calls a non-blocking app on its event loop only once the whole body is buffered.
GATEWAY_APP(Notes, "notes", "1.0.0", GW_APP_THREAD_SAFE | GW_APP_NON_BLOCKING, "A JSON notes API")
