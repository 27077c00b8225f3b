#include "gateway/app/NewAppCommand.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/app/AppTemplates.h"
#include "gateway/apps/AppLoader.h"
#include "gateway/gateway.h"

namespace gateway {

namespace {

namespace fs = std::filesystem;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Language {
    std::string_view option;  ///< --lang value, and the template folder
    std::string_view extension;
    std::string_view shown;
};
constexpr Language kLanguages[] = {{"cpp", ".cpp", "C++"}, {"c", ".c", "C"}};

struct Arguments {
    std::string name;
    const Language* language = &kLanguages[0];
    std::optional<fs::path> dir;
    bool help = false;
};

/// A usage problem: the message of a "gateway: new-app: ..." line.
struct UsageError {
    std::string message;
};

const Language& findLanguage(std::string_view option) {
    for (const Language& language : kLanguages)
        if (language.option == option) return language;
    throw UsageError{"--lang '" + std::string(option) + "': expected cpp or c"};
}

Arguments parse(std::span<const std::string> words) {
    constexpr std::string_view kLangEquals = "--lang=";
    Arguments args;
    std::vector<std::string> positional;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word == "-h" || word == "--help") {
            args.help = true;
        } else if (word == "--lang") {
            if (i + 1 == words.size()) throw UsageError{"--lang needs a value: cpp or c"};
            args.language = &findLanguage(words[++i]);
        } else if (word.starts_with(kLangEquals)) {
            args.language = &findLanguage(std::string_view(word).substr(kLangEquals.size()));
        } else if (word.starts_with("-") && word != "-") {
            throw UsageError{"unknown option '" + word + "'"};
        } else {
            positional.push_back(word);
        }
    }
    if (args.help) return args;
    if (positional.empty()) throw UsageError{"missing NAME"};
    if (positional.size() > 2) throw UsageError{"unexpected argument '" + positional[2] + "'"};
    args.name = positional[0];
    // The app's name is its mount and the descriptor's name: the loader's rule, checked here so
    // that the project builds an app the gateway loads.
    if (!AppLoader::validName(args.name.c_str()))
        throw UsageError{"'" + args.name +
                         "' is not an app name: 1 to 64 characters of A-Z, a-z, 0-9, _ and -"};
    if (positional.size() == 2) args.dir = positional[1];
    return args;
}

std::string substitute(std::string_view text,
                       const std::vector<std::pair<std::string_view, std::string>>& values) {
    std::string out(text);
    for (const auto& [placeholder, value] : values)
        for (std::size_t at = out.find(placeholder); at != std::string::npos;
             at = out.find(placeholder, at + value.size()))
            out.replace(at, placeholder.size(), value);
    return out;
}

/// Why `dir` cannot take the project ("" if it can: absent, or an empty folder).
std::string occupied(const fs::path& dir) {
    std::error_code error;
    const fs::file_status status = fs::status(dir, error);
    if (!fs::exists(status)) return "";
    if (!fs::is_directory(status)) return "exists and is not a folder";
    const bool empty = fs::is_empty(dir, error);
    if (error) return "cannot be read: " + error.message();
    return empty ? "" : "is not empty: new-app overwrites nothing";
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file)
        throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

int newAppCommand(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    Arguments wanted;
    try {
        wanted = parse(args);
    } catch (const UsageError& e) {
        err << "gateway: new-app: " << e.message << " (usage: " << kNewAppUsage << ")\n";
        return kExitUsage;
    }
    if (wanted.help) {
        out << "usage: " << kNewAppUsage << "\n"
            << "Writes a new app project into DIR (default ./NAME): CMakeLists.txt "
               "(find_package(GatewaySDK)), the app in C++ (default) or C, its unit test through "
               "gateway/testing.hpp, a README.\n";
        return 0;
    }

    const fs::path dir = wanted.dir.value_or(fs::path(wanted.name));
    if (const std::string why = occupied(dir); !why.empty()) {
        err << "gateway: new-app: " << dir.string() << " " << why << "\n";
        return kExitFailed;
    }
    const std::vector<std::pair<std::string_view, std::string>> values = {
        {"@APP_NAME@", wanted.name},
        {"@APP_SOURCE@", wanted.name + std::string(wanted.language->extension)},
        {"@SDK_VERSION@",
         std::to_string(GW_ABI_VERSION_MAJOR) + "." + std::to_string(GW_ABI_VERSION_MINOR)},
    };
    std::vector<fs::path> written;
    try {
        fs::create_directories(dir);
        for (const TemplateFile& file : appTemplateFiles()) {
            if (file.folder != "common" && file.folder != wanted.language->option) continue;
            const fs::path path = dir / substitute(file.path, values);
            fs::create_directories(path.parent_path());
            writeFile(path, substitute(file.text, values));
            written.push_back(path);
        }
    } catch (const std::exception& e) {
        err << "gateway: new-app: " << e.what() << "\n";
        return kExitFailed;
    }

    std::sort(written.begin(), written.end());
    out << "wrote a " << wanted.language->shown << " app '" << wanted.name << "' into "
        << dir.string() << ":\n";
    for (const fs::path& path : written) out << "  " << path.string() << "\n";
    const std::string build = (dir / "build").string();
    out << "build and test it against the SDK (find_package(GatewaySDK); -DCMAKE_PREFIX_PATH=... "
           "if it is not installed in /usr):\n"
        << "  cmake -S " << dir.string() << " -B " << build << " && cmake --build " << build
        << " && ctest --test-dir " << build << "\n"
        << "then drop " << build << "/" << wanted.name
        << ".so into the gateway's apps folder: GET /" << wanted.name << "\n";
    return 0;
}

}  // namespace gateway
