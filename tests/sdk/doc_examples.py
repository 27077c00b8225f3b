"""Compiles every code example of the SDK's documentation as documented (test sdk.doc_examples).

An example is
  - in a header's comments (gateway.h and each C++ header listed in main()): a block of comment lines indented
    by four spaces after the comment marker whose first line is an #include (other indented
    blocks show output, not code); gateway.h's are C, the others C++;
  - in SPEC.md: a ```c or ```cpp fenced block.
C examples compile with -std=c11, C++ ones with -std=c++17 (what the SDK advertises), both with
-pedantic-errors -Wall -Wextra -Werror, syntax only.

usage: doc_examples.py SDK_DIR C_COMPILER CXX_COMPILER
"""
import os
import re
import subprocess
import sys
import tempfile

COMMENT = re.compile(r"^\s*(?:///?|/?\*) ?(.*)$")  # the text after "// ", "/// " or " * "


def header_examples(path):
    examples, block = [], None
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            match = COMMENT.match(line.rstrip("\n"))
            text = match.group(1) if match else None
            if text is not None and text.startswith("    "):
                if block is None:
                    block = (number, [])
                block[1].append(text[4:])
            elif text is not None and text.strip() == "" and block is not None:
                block[1].append("")
            else:
                if block is not None:
                    examples.append(block)
                block = None
    if block is not None:
        examples.append(block)
    return [(n, "\n".join(b).strip() + "\n") for n, b in examples if b[0].startswith("#include")]


def spec_examples(path):
    examples, language, start, body = [], None, 0, []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            fence = line.strip()
            if language is None and fence in ("```c", "```cpp"):
                language, start, body = fence[3:], number, []
            elif language is not None and fence == "```":
                examples.append((language, start, "".join(body)))
                language = None
            elif language is not None:
                body.append(line)
    return examples


def main():
    sdk, cc, cxx = sys.argv[1:4]
    include = os.path.join(sdk, "include")
    headers = os.path.join(include, "gateway")
    found = []  # (origin, language, source)
    headers_with_examples = (("gateway.h", "c"), ("http.h", "c"), ("app.hpp", "cpp"), ("testing.hpp", "cpp"),
                             ("router.hpp", "cpp"), ("url.hpp", "cpp"), ("headers.hpp", "cpp"),
                             ("conditional.hpp", "cpp"), ("json.hpp", "cpp"))
    for name, language in headers_with_examples:
        examples = header_examples(os.path.join(headers, name))
        if not examples:
            print(f"no example found in {name}: the extraction rule no longer matches it")
            return 1
        found += [(f"{name}:{line}", language, code) for line, code in examples]
    spec = os.path.join(sdk, "docs", "SPEC.md")
    found += [(f"SPEC.md:{line}", language, code) for language, line, code in spec_examples(spec)]

    failures = 0
    with tempfile.TemporaryDirectory(prefix="gateway-doc-examples-") as scratch:
        for index, (origin, language, code) in enumerate(found):
            source = os.path.join(scratch, f"example{index}.{language}")
            with open(source, "w", encoding="utf-8") as out:
                out.write(code)
            compiler, standard = (cc, "-std=c11") if language == "c" else (cxx, "-std=c++17")
            command = [compiler, standard, "-pedantic-errors", "-Wall", "-Wextra", "-Werror",
                       "-fsyntax-only", "-I", include, source]
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
            verdict = "ok" if result.returncode == 0 else "FAILED"
            print(f"{origin} ({language}, {standard}): {verdict}")
            if result.returncode != 0:
                failures += 1
                print(code)
                print(result.stderr)
    print(f"{len(found)} examples, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
