// The rows of the parity tables: see ParityTable.h. In expected bodies "{mount}" stands for the
// variant's mount ("/parity" or "/parity_inline") and "{id}" for the request id.
#include "tests/parity/ParityTable.h"

#include <algorithm>

#include "gateway/gateway.h"

namespace gateway::test::parity {
namespace {

using F = Framing;

const char* const kStrerror =
    "-10:unknown error\n-9:not supported\n-8:malformed request\n-7:application error\n"
    "-6:timed out\n-5:too large\n-4:not allowed in this state\n-3:connection closed\n"
    "-2:out of memory\n-1:invalid argument\n0:ok\n1:declined\n2:end of body\n3:not found\n";

/// gateway.version: this header's ABI, which both hosts implement.
const std::string kAbi =
    std::to_string(GW_ABI_VERSION_MAJOR) + "." + std::to_string(GW_ABI_VERSION_MINOR);

/// The body of op=env for the gateway.* entries of row env_gateway_entries.
std::string gatewayEntries(const char* multithread) {
    return "REMOTE_ADDR=127.0.0.1\nSERVER_PROTOCOL=HTTP/1.1\ngateway.url_scheme=http\n"
           "gateway.version=" +
           kAbi + "\ngateway.multithread=" + multithread +
           "\ngateway.multiprocess=0\ngateway.input_terminated=1\ngateway.deadline rc=3\n"
           "gateway.body_limit=16777216\n";
}

/// A start_response the host must refuse with GW_E_INVAL: the app answers "start=-1".
Row rejected(const char* name, std::string query, const char* lint) {
    Row row{name};
    row.query = "op=start&" + std::move(query);
    row.expectBody = "start=-1";
    row.lint = {lint};
    return row;
}

/// Splits the last row of `t`: it keeps the builds that are not `build`, and the returned copy
/// named `name` is for `build` alone.
Row& split(std::vector<Row>& t, const char* name, const std::string& build) {
    for (const auto& variant : variants())
        if (variant != build) t.back().only.push_back(variant);
    Row copy = t.back();
    copy.name = name;
    copy.only = {build};
    t.push_back(std::move(copy));
    return t.back();
}

/// The non-blocking build's copy of the last row: the host collects its response before sending.
Row& splitInline(std::vector<Row>& t, const char* name) {
    return split(t, name, "parity_inline");
}

/// The collected version of a failure after the first byte: a clean 500, the body discarded.
void cleanFailure(Row& row) {
    row.status = 500;
    row.expectBody = std::nullopt;
    row.truncated = false;
}

std::vector<Row> build() {
    std::vector<Row> t;
    // ---- environ (SPEC section 3) ----------------------------------------------------------
    t.push_back({"env_method_as_received", "PURGE", "", "op=env&get=REQUEST_METHOD"});
    t.back().expectBody = "REQUEST_METHOD=PURGE\n";
    t.push_back({"env_mount_itself", "GET", "", "op=env&get=SCRIPT_NAME&get=PATH_INFO"});
    t.back().expectBody = "SCRIPT_NAME={mount}\nPATH_INFO=\n";
    t.push_back({"env_mount_slash", "GET", "/", "op=env&get=SCRIPT_NAME&get=PATH_INFO"});
    t.back().expectBody = "SCRIPT_NAME={mount}\nPATH_INFO=/\n";
    t.push_back({"env_path_decoded_query_raw", "GET", "/a%20b",
                 "op=env&get=PATH_INFO&get=QUERY_STRING&get=REQUEST_URI&y=%20"});
    t.back().expectBody =
        "PATH_INFO=/a b\nQUERY_STRING=op=env&get=PATH_INFO&get=QUERY_STRING&get=REQUEST_URI&y=%20\n"
        "REQUEST_URI={mount}/a%20b?op=env&get=PATH_INFO&get=QUERY_STRING&get=REQUEST_URI&y=%20\n";
    t.push_back({"env_dot_segments_removed", "GET", "/a%20b/../c", "op=env&get=PATH_INFO"});
    t.back().expectBody = "PATH_INFO=/c\n";
    t.push_back({"env_encoded_slash_decoded", "GET", "/x%2Fy", "op=env&get=PATH_INFO"});
    t.back().expectBody = "PATH_INFO=/x/y\n";
    t.push_back({"env_empty_segments_kept", "GET", "/a//b/", "op=env&get=PATH_INFO"});
    t.back().expectBody = "PATH_INFO=/a//b/\n";
    t.push_back({"env_encoded_dots_after_decoding", "GET", "/a/%2E%2E/b", "op=env&get=PATH_INFO"});
    t.back().expectBody = "PATH_INFO=/b\n";
    t.push_back({"env_content_type_and_length",
                 "POST",
                 "/",
                 "op=env&get=CONTENT_TYPE&get=CONTENT_LENGTH&get=HTTP_CONTENT_TYPE&get=HTTP_"
                 "CONTENT_LENGTH",
                 {{"Content-Type", "text/plain; charset=utf-8"}},
                 "hello"});
    t.back().expectBody =
        "CONTENT_TYPE=text/plain; charset=utf-8\nCONTENT_LENGTH=5\nHTTP_CONTENT_TYPE rc=3\n"
        "HTTP_CONTENT_LENGTH rc=3\n";
    t.push_back({"env_content_length_as_a_number",
                 "POST",
                 "/",
                 "op=env&get=CONTENT_LENGTH",
                 {{"Content-Length", "005"}},
                 "hello"});
    t.back().expectBody = "CONTENT_LENGTH=5\n";
    t.push_back({"env_chunked_has_no_length",
                 "POST",
                 "/",
                 "op=env&get=CONTENT_LENGTH&get=HTTP_TRANSFER_ENCODING",
                 {},
                 "hello",
                 true});
    t.back().expectBody = "CONTENT_LENGTH rc=3\nHTTP_TRANSFER_ENCODING=chunked\n";
    t.push_back({"env_get_without_body", "GET", "/", "op=env&get=CONTENT_LENGTH&get=CONTENT_TYPE"});
    t.back().expectBody = "CONTENT_LENGTH rc=3\nCONTENT_TYPE rc=3\n";
    t.push_back({"env_http_headers",
                 "GET",
                 "/",
                 "op=env&get=HTTP_USER_AGENT&get=HTTP_X_CUSTOM_THING",
                 {{"User-Agent", "parity/1"}, {"x-custom-THING", "v"}}});
    t.back().expectBody = "HTTP_USER_AGENT=parity/1\nHTTP_X_CUSTOM_THING=v\n";
    t.push_back({"env_repeated_headers_joined",
                 "GET",
                 "/",
                 "op=env&get=HTTP_X_MULTI",
                 {{"X-Multi", "a"}, {"X-Other", "o"}, {"X-Multi", "b"}, {"x-multi", "c"}}});
    t.back().expectBody = "HTTP_X_MULTI=a, b, c\n";
    t.push_back({"env_underscore_header_dropped",
                 "GET",
                 "/",
                 "op=env&get=HTTP_X_FORWARDED",
                 {{"X_Forwarded", "evil"}, {"X-Forwarded", "good"}}});
    t.back().expectBody = "HTTP_X_FORWARDED=good\n";
    t.push_back({"env_server_name_without_port",
                 "GET",
                 "/",
                 "op=env&get=SERVER_NAME&get=HTTP_HOST",
                 {{"Host", "parity.test:8080"}}});
    t.back().expectBody = "SERVER_NAME=parity.test\nHTTP_HOST=parity.test:8080\n";
    t.push_back(
        {"env_server_name_ipv6", "GET", "/", "op=env&get=SERVER_NAME", {{"Host", "[::1]:80"}}});
    t.back().expectBody = "SERVER_NAME=::1\n";
    t.push_back({"env_protocol_http10", "GET", "/", "op=env&get=SERVER_PROTOCOL"});
    t.back().http10 = true;
    t.back().expectBody = "SERVER_PROTOCOL=HTTP/1.0\n";
    t.back().closes = true;
    t.push_back({"env_gateway_entries", "GET", "/",
                 "op=env&get=REMOTE_ADDR&get=SERVER_PROTOCOL&get=gateway.url_scheme&get=gateway."
                 "version&get=gateway.multithread&get=gateway.multiprocess&get=gateway.input_"
                 "terminated&get=gateway.deadline&get=gateway.body_limit"});
    t.back().expectBody = gatewayEntries("1");
    split(t, "env_not_thread_safe_single_threaded", "parity_serial").expectBody =
        gatewayEntries("0");
    t.push_back({"env_body_limit_of_the_mount", "GET", "/", "op=env&get=gateway.body_limit"});
    t.back().bodyLimit = 1024;
    t.back().expectBody = "gateway.body_limit=1024\n";
    t.push_back({"env_request_id_from_client", "GET", "/",
                 "op=env&get=gateway.request_id&get=HTTP_X_REQUEST_ID"});
    t.back().expectBody = "gateway.request_id={id}\nHTTP_X_REQUEST_ID={id}\n";
    t.push_back({"env_names_exactly_the_specs", "GET", "/", "op=names"});
    t.back().expectBody =
        "HTTP_HOST\nHTTP_X_REQUEST_ID\nPATH_INFO\nQUERY_STRING\nREMOTE_ADDR\nREMOTE_PORT\n"
        "REQUEST_METHOD\nREQUEST_URI\nSCRIPT_NAME\nSERVER_NAME\nSERVER_PORT\nSERVER_PROTOCOL\n"
        "gateway.body_limit\ngateway.input_terminated\ngateway.multiprocess\n"
        "gateway.multithread\ngateway.request_id\ngateway.url_scheme\ngateway.version\n";

    // ---- host functions: edge cases, strerror (gateway.h, SPEC section 8) ------------------
    t.push_back({"api_edge_cases_and_strerror", "GET", "/", "op=api"});
    t.back().expectBody = std::string(
                              "get_null_name=-1 get_missing=3 cleared\nat_past_end=3 cleared\n"
                              "at_null=-1\nalloc0=null alloc24=aligned\n") +
                          kStrerror;
    t.back().lint = {"GW-L019"};
    t.push_back({"api_log_level_out_of_range", "GET", "/", "op=api&badlog=1"});
    t.back().lint = {"GW-L019", "GW-L020"};

    // ---- start_response (SPEC section 5) ---------------------------------------------------
    t.push_back({"start_status_headers_trimmed_repeats", "GET", "/",
                 "op=start&status=201&h=X-A:%20%201%09&h=X-B:2&h=X-B:3&w=hi"});
    t.back().status = 201;
    t.back().expectHeaders = {{"X-A", "1"}, {"X-B", "2"}};
    t.back().expectBody = "hi";
    t.push_back({"start_reason_given", "GET", "/", "op=start&reason=Fine%20Thanks&w=x"});
    t.back().reason = "Fine Thanks";
    t.push_back({"start_value_with_tab", "GET", "/", "op=start&h=X-A:a%09b&w=ok"});
    t.back().expectHeaders = {{"X-A", "a\tb"}};
    t.push_back(rejected("start_reason_crlf", "reason=a%0D%0Ab", "GW-L004"));
    t.push_back(rejected("start_status_199", "status=199", "GW-L004"));
    t.push_back(rejected("start_status_600", "status=600", "GW-L004"));
    t.push_back(rejected("start_name_not_token", "h=Bad%20Name:x", "GW-L005"));
    t.push_back(rejected("start_name_empty", "h=:x", "GW-L005"));
    t.push_back(rejected("start_value_crlf", "h=X-A:a%0D%0Ab", "GW-L006"));
    t.push_back(rejected("start_value_nul", "h=X-A:a%00b", "GW-L006"));
    t.push_back(rejected("start_value_control", "h=X-A:a%01b", "GW-L006"));
    t.push_back(rejected("start_connection", "h=Connection:close", "GW-L007"));
    t.push_back(
        rejected("start_transfer_encoding_any_case", "h=transfer-ENCODING:chunked", "GW-L007"));
    t.push_back(rejected("start_keep_alive", "h=Keep-Alive:timeout=5", "GW-L007"));
    t.push_back(rejected("start_proxy_connection", "h=Proxy-Connection:close", "GW-L007"));
    t.push_back(rejected("start_te", "h=TE:trailers", "GW-L007"));
    t.push_back(rejected("start_trailer", "h=Trailer:X", "GW-L007"));
    t.push_back(rejected("start_upgrade", "h=Upgrade:h2c", "GW-L007"));
    t.push_back(rejected("start_date", "h=Date:today", "GW-L008"));
    t.push_back(rejected("start_server_any_case", "h=sERVER:mine", "GW-L008"));
    t.push_back(rejected("start_length_not_decimal", "h=Content-Length:12a", "GW-L009"));
    t.push_back(rejected("start_length_negative", "h=Content-Length:-1", "GW-L009"));
    t.push_back(rejected("start_length_twice", "h=Content-Length:1&h=Content-Length:1", "GW-L009"));
    t.push_back(rejected("start_length_on_204", "status=204&h=Content-Length:0", "GW-L009"));
    t.push_back(rejected("start_unknown_flags", "flags=4", "GW-L010"));
    t.push_back({"start_twice_without_replace", "GET", "/", "op=start&again=201&report=1"});
    t.back().expectHeaders = {{"X-Second", std::nullopt}};
    t.back().expectBody = "again=-4;";
    t.back().lint = {"GW-L002"};
    t.push_back({"start_twice_with_replace", "GET", "/", "op=start&again=201&aflags=1&report=1"});
    t.back().status = 201;
    t.back().expectHeaders = {{"X-Second", "1"}, {"Content-Type", std::nullopt}};
    t.back().expectBody = "again=0;";
    t.push_back({"start_after_first_byte", "GET", "/", "op=start&w=a&late=1&report=1"});
    t.back().expectBody = "alate=-4;";
    t.back().lint = {"GW-L003"};
    t.push_back({"write_before_start", "GET", "/", "op=start&pre=1&w=b&report=1"});
    t.back().expectBody = "bpre=-4;";
    t.back().lint = {"GW-L011"};
    t.push_back({"start_and_write_from_next", "GET", "/", "op=start&nstart=1"});
    t.back().expectBody = "next: start=-4 write=-4;";
    t.back().lint = {"GW-L003", "GW-L011"};

    // ---- framing (SPEC section 6) ----------------------------------------------------------
    t.push_back({"frame_app_content_length", "GET", "/", "op=start&h=Content-Length:5&w=hello"});
    t.back().expectHeaders = {{"Content-Length", "5"}};
    t.back().expectBody = "hello";
    t.back().framing = F::ContentLength;
    t.back().closes = false;
    t.push_back({"frame_write_is_chunked", "GET", "/", "op=start&w=ab&w=cd"});
    t.back().expectHeaders = {{"Content-Length", std::nullopt}};
    t.back().expectBody = "abcd";
    t.back().framing = F::Chunked;
    t.back().closes = false;
    splitInline(t, "frame_write_collected_gets_length");
    t.back().expectHeaders = {{"Content-Length", "4"}};
    t.back().framing = F::ContentLength;
    t.push_back({"frame_write_http10_close_delimited", "GET", "/", "op=start&w=ab&w=cd"});
    t.back().http10 = true;
    t.back().expectBody = "abcd";
    t.back().framing = F::CloseDelimited;
    t.back().closes = true;
    splitInline(t, "frame_write_http10_collected_gets_length");
    t.back().expectHeaders = {{"Content-Length", "4"}};
    t.back().framing = F::ContentLength;
    t.push_back({"frame_single_chunk_gets_length", "GET", "/", "op=start&n=hello"});
    t.back().expectHeaders = {{"Content-Length", "5"}};
    t.back().expectBody = "hello";
    t.back().framing = F::ContentLength;
    t.push_back({"frame_chunks_are_chunked", "GET", "/", "op=start&n=ab&n=&n=cd"});
    t.back().expectBody = "abcd";
    t.back().framing = F::Chunked;
    t.back().closes = false;
    splitInline(t, "frame_chunks_collected_get_length");
    t.back().expectHeaders = {{"Content-Length", "4"}};
    t.back().framing = F::ContentLength;
    t.push_back({"frame_no_body_length_0", "GET", "/", "op=start"});
    t.back().expectHeaders = {{"Content-Length", "0"}};
    t.back().expectBody = "";
    t.back().framing = F::ContentLength;
    t.push_back({"frame_head_write_discarded", "HEAD", "/", "op=start&w=hello"});
    t.back().expectHeaders = {{"Content-Length", std::nullopt}};
    t.back().expectBody = "";
    t.push_back({"frame_head_single_chunk", "HEAD", "/", "op=start&n=hello"});
    t.back().expectHeaders = {{"Content-Length", std::nullopt}};
    t.back().expectBody = "";
    t.push_back({"frame_head_app_length_kept", "HEAD", "/", "op=start&h=Content-Length:5&w=hello"});
    t.back().expectHeaders = {{"Content-Length", "5"}};
    t.back().expectBody = "";
    t.back().closes = false;
    t.push_back({"frame_204_no_body", "GET", "/", "op=start&status=204&w=x&n=y"});
    t.back().status = 204;
    t.back().expectHeaders = {{"Content-Length", std::nullopt}};
    t.back().expectBody = "";
    t.back().closes = false;
    t.push_back(
        {"frame_304_length_kept", "GET", "/", "op=start&status=304&h=Content-Length:5&w=x"});
    t.back().status = 304;
    t.back().expectHeaders = {{"Content-Length", "5"}};
    t.back().expectBody = "";
    t.back().closes = false;
    t.push_back({"frame_short_body_closes", "GET", "/", "op=start&h=Content-Length:10&w=hello"});
    t.back().expectBody = "hello";
    t.back().truncated = true;
    t.back().closes = true;
    t.back().lint = {"GW-L012"};
    t.push_back(
        {"frame_long_body_cut_and_closes", "GET", "/", "op=start&h=Content-Length:3&w=hello"});
    t.back().expectBody = "hel";
    t.back().truncated = true;
    t.back().closes = true;
    t.back().lint = {"GW-L013"};
    t.push_back(
        {"frame_client_asks_to_close", "GET", "/", "op=start&w=hi", {{"Connection", "close"}}});
    t.back().expectBody = "hi";
    t.back().closes = true;
    t.push_back({"frame_http10_keep_alive",
                 "GET",
                 "/",
                 "op=start&h=Content-Length:2&w=hi",
                 {{"Connection", "Keep-Alive"}}});
    t.back().http10 = true;
    t.back().expectBody = "hi";
    t.back().closes = false;
    t.push_back({"frame_response_close_flag", "GET", "/", "op=start&flags=2&w=hi"});
    t.back().expectBody = "hi";
    t.back().closes = true;

    // ---- outcomes (SPEC section 7) ---------------------------------------------------------
    auto outcome = [&](const char* name, std::string query, int status,
                       std::vector<std::string> lint = {}) {
        Row row{name};
        row.query = std::move(query);
        row.status = status;
        row.closes = true;
        row.lint = std::move(lint);
        t.push_back(std::move(row));
    };
    outcome("ret_ok_without_response", "op=ret&code=0", 500, {"GW-L001"});
    outcome("ret_inval", "op=ret&code=-1", 500);
    outcome("ret_too_large", "op=ret&code=-5", 413);
    outcome("ret_unknown_negative", "op=ret&code=-42", 500);
    outcome("ret_positive_code", "op=ret&code=2", 500, {"GW-L016"});
    outcome("ret_error_with_body_filled", "op=ret&code=-7&fill=1", 500, {"GW-L015"});
    outcome("ret_error_after_start", "op=start&h=X-A:1&ret=-7", 500);
    t.back().expectHeaders = {{"X-A", std::nullopt}};
    outcome("next_error_before_first_byte", "op=start&n=a&nerr=0", 500);
    t.push_back({"ret_error_after_first_byte", "GET", "/", "op=start&w=abc&ret=-7"});
    t.back().expectBody = "abc";
    t.back().truncated = true;
    t.back().closes = true;
    cleanFailure(splitInline(t, "ret_error_after_collected_write"));
    t.push_back({"next_error_after_first_byte", "GET", "/", "op=start&n=a&n=b&nerr=1"});
    t.back().expectBody = "a";
    t.back().truncated = true;
    t.back().closes = true;
    cleanFailure(splitInline(t, "next_error_after_collected_chunk"));
    // The collected part ends at 256 KiB: past it a body is sent as it comes, on both builds.
    const std::string cap(256u << 10, 'x');
    t.push_back({"frame_past_collect_cap_is_chunked", "GET", "/", "op=start&pad=262144&n=ab"});
    t.back().expectBody = cap + "ab";
    t.back().framing = F::Chunked;
    t.back().closes = false;
    t.push_back({"next_error_past_collect_cap", "GET", "/", "op=start&pad=262144&n=ab&nerr=0"});
    t.back().expectBody = cap;
    t.back().truncated = true;
    t.back().closes = true;
    t.push_back({"next_error_within_collect_cap", "GET", "/", "op=start&pad=262143&n=ab&nerr=0"});
    t.back().expectBody = cap.substr(1);
    t.back().truncated = true;
    t.back().closes = true;
    cleanFailure(splitInline(t, "next_error_within_collected_cap"));
    t.push_back({"decline", "GET", "/", "op=decline"});
    t.back().status = 0;
    t.push_back({"decline_after_start", "GET", "/", "op=decline&start=1"});
    t.back().status = 0;
    t.back().lint = {"GW-L014"};

    t.push_back({"decline_after_reading", "POST", "/", "op=decline&read=1", {}, "body"});
    t.back().status = 0;
    t.back().lint = {"GW-L014"};

    // ---- send_file (ABI 1.1, SPEC "Files: send_file") -------------------------------------
    // The plugin's scratch file holds "0123456789".
    t.push_back({"file_range_gets_length", "GET", "/", "op=file&off=2&len=5"});
    t.back().expectHeaders = {{"Content-Length", "5"}};
    t.back().expectBody = "23456";
    t.back().framing = F::ContentLength;
    t.back().closes = false;
    t.push_back({"file_whole", "GET", "/", "op=file"});
    t.back().expectHeaders = {{"Content-Length", "10"}};
    t.back().expectBody = "0123456789";
    t.back().framing = F::ContentLength;
    t.push_back({"file_app_length_equal", "GET", "/", "op=file&cl=4&off=6&len=4"});
    t.back().expectHeaders = {{"Content-Length", "4"}};
    t.back().expectBody = "6789";
    t.push_back({"file_empty_range", "GET", "/", "op=file&off=10&len=0"});
    t.back().expectHeaders = {{"Content-Length", "0"}};
    t.back().expectBody = "";
    t.back().closes = false;
    t.push_back({"file_head", "HEAD", "/", "op=file&off=2&len=5"});
    t.back().expectHeaders = {{"Content-Length", "5"}};
    t.back().expectBody = "";
    t.back().closes = false;
    t.push_back({"file_after_write", "GET", "/", "op=file&w=1"});
    t.back().expectBody = "xsend_file=-4";
    t.back().lint = {"GW-L025"};
    t.push_back({"file_bad_fd", "GET", "/", "op=file&badfd=1"});
    t.back().expectBody = "send_file=-1";
    t.back().lint = {"GW-L025"};
    t.push_back({"file_not_regular", "GET", "/", "op=file&dev=1"});
    t.back().expectBody = "send_file=-1";
    t.back().lint = {"GW-L025"};
    t.push_back({"file_range_past_end", "GET", "/", "op=file&off=8&len=5"});
    t.back().expectBody = "send_file=-1";
    t.back().lint = {"GW-L025"};
    t.push_back({"file_other_app_length", "GET", "/", "op=file&cl=4&len=5"});
    t.back().expectBody = "send";  // the report cut at the app's Content-Length
    t.back().truncated = true;
    t.back().closes = true;
    t.back().lint = {"GW-L025", "GW-L013"};

    // ---- input (SPEC section 4) ------------------------------------------------------------
    t.push_back({"read_whole_body", "POST", "/", "op=read&cap=4", {}, "hello world"});
    t.back().expectBody = "cap0=0 n=0\nread=11 rc=0 then=0/0 data=hello world\n";
    t.push_back(
        {"read_chunked_body_dechunked", "POST", "/", "op=read&cap=4", {}, "hello world", true});
    t.back().expectBody = "cap0=0 n=0\nread=11 rc=0 then=0/0 data=hello world\n";
    t.push_back({"read_no_body", "GET", "/", "op=read"});
    t.back().expectBody = "cap0=0 n=0\nread=0 rc=0 then=0/0 data=\n";
    t.push_back({"read_null_buffer", "POST", "/", "op=read&nullbuf=1", {}, "x"});
    t.back().expectBody = "nullbuf=-1 n=0\ncap0=0 n=0\nread=1 rc=0 then=0/0 data=x\n";
    t.back().lint = {"GW-L019"};
    t.push_back({"read_body_at_the_limit", "POST", "/", "op=read", {}, "0123456789abcdef"});
    t.back().bodyLimit = 16;
    t.back().expectBody = "cap0=0 n=0\nread=16 rc=0 then=0/0 data=0123456789abcdef\n";
    t.push_back(
        {"read_declared_length_past_limit", "POST", "/", "op=read", {}, "0123456789abcdef"});
    t.back().bodyLimit = 8;
    t.back().status = 413;
    t.back().closes = true;
    t.push_back(
        {"read_chunked_past_limit", "POST", "/", "op=read&ret=1", {}, "0123456789abcdef", true});
    t.back().bodyLimit = 8;
    t.back().status = 413;
    t.back().closes = true;
    return t;
}

}  // namespace

const std::vector<Row>& rows() {
    static const std::vector<Row> table = build();
    return table;
}

std::vector<std::pair<std::size_t, std::string>> cases() {
    std::vector<std::pair<std::size_t, std::string>> all;
    for (std::size_t i = 0; i < rows().size(); ++i)
        for (const auto& variant : variants())
            if (rows()[i].only.empty() || std::find(rows()[i].only.begin(), rows()[i].only.end(),
                                                    variant) != rows()[i].only.end())
                all.emplace_back(i, variant);
    return all;
}

std::vector<std::pair<std::string, std::string>> requestHeaders(const Row& row,
                                                                const std::string& id) {
    std::vector<std::pair<std::string, std::string>> headers;
    bool host = false, length = false;
    for (const auto& h : row.headers) {
        host |= h.first == "Host";
        length |= h.first == "Content-Length";
    }
    if (!host) headers.emplace_back("Host", "parity.test");
    headers.insert(headers.end(), row.headers.begin(), row.headers.end());
    headers.emplace_back("X-Request-Id", id);
    if (row.chunked)
        headers.emplace_back("Transfer-Encoding", "chunked");
    else if (!length && (!row.body.empty() || row.method == "POST" || row.method == "PUT"))
        headers.emplace_back("Content-Length", std::to_string(row.body.size()));
    return headers;
}

std::string requestId(const Row& row, const std::string& variant) {
    return "parity-" + variant + "-" + row.name;
}

}  // namespace gateway::test::parity
