#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace gateway {

/// File extension → Content-Type value. Loaded once from a mime.types file (Debian's
/// /etc/mime.types by default); a built-in table of common web types fills whatever the file lacks
/// (or everything, when it is missing). text/*, application/javascript, application/json and
/// image/svg+xml carry "; charset=utf-8". Lookups are case-insensitive on the extension.
class MimeTypes {
public:
    static constexpr std::string_view kDefault = "application/octet-stream";

    explicit MimeTypes(const std::string& mimeTypesFile = "/etc/mime.types");

    /// The table of /etc/mime.types, built once per process and never destroyed: the master
    /// builds it before forking, so every worker of every generation shares it instead of parsing
    /// the file again (a reload's new workers start faster).
    static const MimeTypes& system();

    /// Content-Type for the last segment of `path` ("a/b.CSS" → "text/css; charset=utf-8").
    std::string_view lookup(std::string_view path) const;
    /// Content-Type for a bare extension without the dot ("" → kDefault).
    std::string_view forExtension(std::string_view extension) const;

    std::size_t size() const noexcept { return _types.size(); }

    /// "text/plain" → "text/plain; charset=utf-8"; other types unchanged.
    static std::string withCharset(std::string_view type);

private:
    void loadFile(const std::string& path);
    void add(std::string_view extension, std::string_view type, bool replace);

    std::unordered_map<std::string, std::string> _types;  ///< lower-case extension → value
};

}  // namespace gateway
