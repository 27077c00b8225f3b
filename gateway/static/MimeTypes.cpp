#include "gateway/static/MimeTypes.h"

#include <cstdio>
#include <cstdlib>

namespace gateway {

namespace {

struct Builtin {
    const char* extension;
    const char* type;
};

// The web's everyday types, for when /etc/mime.types is missing or lacks them.
constexpr Builtin kBuiltins[] = {
    {"html", "text/html"},        {"htm", "text/html"},
    {"css", "text/css"},          {"js", "text/javascript"},
    {"mjs", "text/javascript"},   {"json", "application/json"},
    {"map", "application/json"},  {"webmanifest", "application/manifest+json"},
    {"txt", "text/plain"},        {"md", "text/markdown"},
    {"csv", "text/csv"},          {"xml", "application/xml"},
    {"svg", "image/svg+xml"},     {"png", "image/png"},
    {"jpg", "image/jpeg"},        {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},         {"webp", "image/webp"},
    {"avif", "image/avif"},       {"ico", "image/vnd.microsoft.icon"},
    {"woff", "font/woff"},        {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},          {"otf", "font/otf"},
    {"wasm", "application/wasm"}, {"pdf", "application/pdf"},
    {"zip", "application/zip"},   {"gz", "application/gzip"},
    {"mp4", "video/mp4"},         {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},        {"ogg", "audio/ogg"},
};

void toLower(std::string& text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

MimeTypes::MimeTypes(const std::string& mimeTypesFile) {
    if (!mimeTypesFile.empty()) loadFile(mimeTypesFile);
    for (const Builtin& builtin : kBuiltins) add(builtin.extension, builtin.type, false);
}

const MimeTypes& MimeTypes::system() {
    static const MimeTypes* const table = new MimeTypes();  // never freed: see the header
    return *table;
}

std::string MimeTypes::withCharset(std::string_view type) {
    std::string value(type);
    bool textual = type.substr(0, 5) == "text/" || type == "application/javascript" ||
                   type == "application/json" || type == "image/svg+xml";
    if (textual && type.find(';') == std::string_view::npos) value += "; charset=utf-8";
    return value;
}

void MimeTypes::add(std::string_view extension, std::string_view type, bool replace) {
    std::string key(extension);
    toLower(key);
    if (key.empty()) return;
    if (replace)
        _types[key] = withCharset(type);
    else
        _types.try_emplace(key, withCharset(type));
}

void MimeTypes::loadFile(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "re");
    if (!file) return;
    char* line = nullptr;
    std::size_t capacity = 0;
    ssize_t length;
    while ((length = ::getline(&line, &capacity, file)) >= 0) {
        std::string_view text(line, static_cast<std::size_t>(length));
        if (std::size_t hash = text.find('#'); hash != std::string_view::npos)
            text = text.substr(0, hash);
        std::string_view type;
        std::size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && isSpace(text[i])) ++i;
            std::size_t start = i;
            while (i < text.size() && !isSpace(text[i])) ++i;
            if (start == i) break;
            std::string_view word = text.substr(start, i - start);
            if (type.empty()) {
                if (word.find('/') == std::string_view::npos) break;  // not a type line
                type = word;
            } else {
                add(word, type, true);  // later lines win, as in nginx's types{} block
            }
        }
    }
    std::free(line);
    std::fclose(file);
}

std::string_view MimeTypes::forExtension(std::string_view extension) const {
    char lower[32];
    if (extension.empty() || extension.size() > sizeof lower) return kDefault;
    for (std::size_t i = 0; i < extension.size(); ++i) {
        char c = extension[i];
        lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    auto it = _types.find(std::string(lower, extension.size()));
    return it == _types.end() ? kDefault : std::string_view(it->second);
}

std::string_view MimeTypes::lookup(std::string_view path) const {
    std::size_t slash = path.rfind('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return kDefault;  // "README", ".profile"
    return forExtension(name.substr(dot + 1));
}

}  // namespace gateway
