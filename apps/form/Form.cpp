// form: GET /form -> an HTML page with two forms (urlencoded, multipart with a file);
// POST -> a page listing the submitted fields, HTML-escaped, and for each uploaded file its
// name, type, size and SHA-256. Bodies above 16 MiB get 413.
#include <Poco/DigestEngine.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/SHA2Engine.h>

#include <istream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/app.hpp"

namespace {

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

struct Upload {
    std::string field, filename, contentType, sha256;
    std::size_t size = 0;
};

/// Hashes file parts as they stream by instead of keeping them.
class UploadHandler : public Poco::Net::PartHandler {
public:
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        Upload upload;
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""),
                                                  disposition, params);
        upload.field = params.get("name", "");
        upload.filename = params.get("filename", "");
        upload.contentType = header.get("Content-Type", "application/octet-stream");
        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        char buffer[8192];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
            sha.update(buffer, static_cast<unsigned>(stream.gcount()));
            upload.size += static_cast<std::size_t>(stream.gcount());
        }
        upload.sha256 = Poco::DigestEngine::digestToHex(sha.digest());
        uploads.push_back(std::move(upload));
    }

    std::vector<Upload> uploads;
};

const char* const kFormPage = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gateway form</title></head>
<body>
<h1>Gateway form</h1>
<form method="post" action="SCRIPT">
  <p><label>Name <input name="name"></label></p>
  <p><label>Message <textarea name="message"></textarea></label></p>
  <p><button type="submit">Send (urlencoded)</button></p>
</form>
<form method="post" action="SCRIPT" enctype="multipart/form-data">
  <p><label>Title <input name="title"></label></p>
  <p><label>File <input type="file" name="file"></label></p>
  <p><button type="submit">Upload (multipart)</button></p>
</form>
</body></html>
)";

}  // namespace

class Form {
public:
    explicit Form(const gateway::sdk::Config&) {}

    gateway::sdk::Body call(gateway::sdk::Request& request) {
        const std::string_view method = request.method();
        if (method == "GET" || method == "HEAD") return page(request, formPage(request));
        if (method != "POST") {
            request.startResponse(
                405, {{"Allow", "GET, HEAD, POST"}, {"Content-Type", "text/plain; charset=utf-8"}});
            return gateway::sdk::Body::fromString("method not allowed\n");
        }
        const std::string contentType(request.header("Content-Type").value_or(""));
        Poco::Net::HTTPRequest httpRequest(Poco::Net::HTTPRequest::HTTP_POST, "/");
        httpRequest.setContentType(contentType);
        std::istringstream body(request.readAll(16u << 20));
        UploadHandler uploads;
        Poco::Net::HTMLForm form;
        try {
            form.load(httpRequest, body, uploads);
        } catch (const Poco::Exception& e) {
            throw gateway::sdk::Error(400, "cannot parse the form: " + e.displayText() + "\n");
        }
        return page(request, resultPage(form, uploads.uploads));
    }

private:
    static std::string formPage(gateway::sdk::Request& request) {
        std::string html = kFormPage;
        const std::string action =
            escapeHtml(request.scriptName().empty() ? "/" : request.scriptName());
        for (std::size_t at; (at = html.find("SCRIPT")) != std::string::npos;)
            html.replace(at, 6, action);
        return html;
    }

    static std::string resultPage(const Poco::Net::HTMLForm& form,
                                  const std::vector<Upload>& uploads) {
        std::string html =
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Submitted</title></head>\n<body>\n<h1>Submitted fields</h1>\n<dl>\n";
        for (const auto& [name, value] : form)
            html += "<dt>" + escapeHtml(name) + "</dt><dd>" + escapeHtml(value) + "</dd>\n";
        html += "</dl>\n";
        if (!uploads.empty()) {
            html +=
                "<h2>Files</h2>\n<table>\n<tr><th>field</th><th>file name</th><th>type</th>"
                "<th>size</th><th>SHA-256</th></tr>\n";
            for (const Upload& u : uploads)
                html += "<tr><td>" + escapeHtml(u.field) + "</td><td>" + escapeHtml(u.filename) +
                        "</td><td>" + escapeHtml(u.contentType) + "</td><td>" +
                        std::to_string(u.size) + "</td><td>" + u.sha256 + "</td></tr>\n";
            html += "</table>\n";
        }
        return html + "</body></html>\n";
    }

    static gateway::sdk::Body page(gateway::sdk::Request& request, std::string html) {
        request.startResponse(200, {{"Content-Type", "text/html; charset=utf-8"}});
        return gateway::sdk::Body::fromString(std::move(html));
    }
};

GATEWAY_APP(Form, "form", "1.0.0", GW_APP_THREAD_SAFE)
