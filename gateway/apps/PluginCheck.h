#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "gateway/config/Settings.h"

namespace gateway {

/// The dynamic symbols of a shared object, read from its ELF .dynsym with <elf.h>.
struct ElfSymbols {
    std::vector<std::string> exported;   ///< defined, global or weak, default visibility
    std::vector<std::string> unique;     ///< STB_GNU_UNIQUE (make dlclose a no-op)
    std::vector<std::string> undefined;  ///< undefined, non-weak references
    std::string error;                   ///< why the file could not be read ("" when it could)
};

/// Reads the dynamic symbol table of an ELF64 file.
ElfSymbols readElfSymbols(const std::string& path);

/// `gateway check FILE.so`: loads and inits the plugin in a throwaway child process (a crash
/// there costs nothing) with its "[app.NAME]" section of `settings` (if any), and prints its
/// name, version, ABI, mounts, flags and exported symbols, plus every problem (refusal, init
/// failure, crash, STB_GNU_UNIQUE symbols, undefined symbols its libraries do not provide). Returns
/// the exit code: 0 only when it would load and has no STB_GNU_UNIQUE symbols.
int checkPlugin(const std::string& path, const Settings& settings, std::ostream& out);

}  // namespace gateway
