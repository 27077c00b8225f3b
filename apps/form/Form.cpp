// form: GET /form -> an HTML page with two forms (urlencoded, multipart with a file);
// POST /form -> a page listing the submitted fields and, for each uploaded file, its name,
// type, size and SHA-256. What the client sent is HTML-escaped (Poco::Net::htmlize). A body
// above max_upload (config SIZE, default 16m) or the mount's body_limit gets a 413 page; other
// methods a 405 with Allow, other paths a 404 (the router's).
#include <Poco/DigestEngine.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/Net.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/SHA2Engine.h>

#include <cstdint>
#include <istream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/router.hpp"

namespace sdk = gateway::sdk;

namespace {

std::string escape(std::string_view text) {
    return Poco::Net::htmlize(std::string(text));
}

/// A whole page around `body` (HTML already).
std::string page(std::string_view title, std::string_view body) {
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
    html.append(title).append("</title></head>\n<body>\n").append(body);
    return html.append("</body></html>\n");
}

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Upload {
    std::string field, filename, contentType, sha256;
    std::size_t size;
};

/// Hashes the file parts of a multipart body as they stream by instead of keeping them.
class UploadHandler : public Poco::Net::PartHandler {
public:
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""),
                                                  disposition, params);
        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        std::size_t size = 0;
        char buffer[8192];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
            sha.update(buffer, static_cast<unsigned>(stream.gcount()));
            size += static_cast<std::size_t>(stream.gcount());
        }
        uploads.push_back({params.get("name", ""), params.get("filename", ""),
                           header.get("Content-Type", "application/octet-stream"),
                           Poco::DigestEngine::digestToHex(sha.digest()), size});
    }

    std::vector<Upload> uploads;
};

std::string formPage(std::string_view script) {
    const std::string action = escape(script.empty() ? "/" : script);
    return page("Gateway form", R"(<h1>Gateway form</h1>
<form method="post" action=")" + action +
                                    R"(">
  <p><label>Name <input name="name"></label></p>
  <p><label>Message <textarea name="message"></textarea></label></p>
  <p><button type="submit">Send (urlencoded)</button></p>
</form>
<form method="post" action=")" + action +
                                    R"(" enctype="multipart/form-data">
  <p><label>Title <input name="title"></label></p>
  <p><label>File <input type="file" name="file"></label></p>
  <p><button type="submit">Upload (multipart)</button></p>
</form>
)");
}

std::string resultPage(const Fields& fields, const std::vector<Upload>& uploads) {
    std::string html = "<h1>Submitted fields</h1>\n<dl>\n";
    for (const auto& [name, value] : fields)
        html += "<dt>" + escape(name) + "</dt><dd>" + escape(value) + "</dd>\n";
    html += "</dl>\n";
    if (!uploads.empty()) {
        html +=
            "<h2>Files</h2>\n<table>\n<tr><th>field</th><th>file name</th><th>type</th>"
            "<th>size</th><th>SHA-256</th></tr>\n";
        for (const Upload& u : uploads)
            html += "<tr><td>" + escape(u.field) + "</td><td>" + escape(u.filename) + "</td><td>" +
                    escape(u.contentType) + "</td><td>" + std::to_string(u.size) + "</td><td>" +
                    u.sha256 + "</td></tr>\n";
        html += "</table>\n";
    }
    return page("Submitted", html);
}

}  // namespace

class Form {
public:
    explicit Form(const sdk::Config& config) : _maxUpload(config.size("max_upload", 16u << 20)) {
        _router
            .get("/",
                 [](sdk::Request& request) {
                     return sdk::Response::html(formPage(request.scriptName()));
                 })
            .post("/", [this](sdk::Request& request) { return submit(request); });
    }

    sdk::Response call(sdk::Request& request) { return _router.call(request); }

private:
    sdk::Response submit(sdk::Request& request) {
        try {
            const auto type = request.contentType();
            if (type && type->is("multipart/form-data")) return multipart(request);
            Fields fields;  // urlencoded; request.form() answers 415 for any other type
            for (const auto [name, value] : request.form(_maxUpload))
                fields.emplace_back(name, value);
            return sdk::Response::html(resultPage(fields, {}));
        } catch (const sdk::BodyTooLarge&) {  // ours or the mount's limit: a page, not text
            const std::string limit = std::to_string(_maxUpload);
            return sdk::Response::html(
                page("Too large", "<h1>Too large</h1>\n<p>At most " + limit + " bytes.</p>\n"),
                413);
        }
    }

    /// A multipart/form-data body, split by Poco's HTMLForm (the SDK parses no multipart).
    sdk::Response multipart(sdk::Request& request) const {
        Poco::Net::HTTPRequest head(Poco::Net::HTTPRequest::HTTP_POST, "/");
        head.setContentType(std::string(request.header("Content-Type").value_or("")));
        std::istringstream body(request.readAll(_maxUpload));
        UploadHandler uploads;
        Poco::Net::HTMLForm form;
        try {
            form.load(head, body, uploads);
        } catch (const Poco::Exception& e) {
            throw sdk::Error(400, "cannot parse the form: " + e.displayText() + "\n");
        }
        return sdk::Response::html(resultPage(Fields(form.begin(), form.end()), uploads.uploads));
    }

    const std::uint64_t _maxUpload;
    sdk::Router _router;  // read-only after the constructor: shared by all threads
};

GATEWAY_APP(Form, "form", "1.0.0", GW_APP_THREAD_SAFE, "An HTML form and file upload")
