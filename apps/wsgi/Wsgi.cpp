// wsgi: serves a Python WSGI (PEP 3333) application through the C contract of gateway.h, by
// embedding the system CPython. One interpreter per worker process, initialised by the first
// instance's init (in the worker, after the fork); every instance is one [app.NAME] section
// (`plugin = wsgi`, `module = pkg.mod:app`, `path = DIR`). Calls come from the host's pool
// threads: each takes the GIL with PyGILState_Ensure and releases it around every host call that
// may block (read_body, write, start_response). The Python half lives in wsgi_helpers.py.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <string>

#include "gateway/gateway.h"

extern const char* const kWsgiHelpers;

namespace {

const gw_host_api* g_api = nullptr;
PyObject* g_helpers = nullptr;  // the module "_gateway_wsgi" (helpers + C functions)

/// One WSGI app: its callable.
struct App {
    PyObject* callable = nullptr;
};

/// One request, from call until the body's close. Python reaches it through a capsule whose
/// context is cleared at close, so an object the app kept (wsgi.input) cannot touch a dead one.
struct Request {
    gw_request* req = nullptr;
    PyObject* capsule = nullptr;
    PyObject* response = nullptr;  // helpers.Response
    PyObject* iterable = nullptr;  // what the app returned (close() is called on it)
    PyObject* iterator = nullptr;
    PyObject* chunk = nullptr;  // the bytes handed to the host last (valid until the next next)
    PyObject* first = nullptr;  // the first non-empty chunk, pulled during call
    bool ended = false;
};

void logLine(gw_request* req, int32_t level, const std::string& text) {
    g_api->log(req, level, {text.data(), text.size()});
}

/// The pending Python exception as a traceback (cleared). Never PyErr_Print: on SystemExit it
/// would exit the worker.
std::string takeTraceback() {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    std::string text = "unknown Python error";
    if (type) {
        PyObject* formatted = PyObject_CallMethod(g_helpers, "format_exception", "OOO", type,
                                                  value ? value : Py_None, tb ? tb : Py_None);
        if (formatted) {
            if (const char* utf8 = PyUnicode_AsUTF8(formatted)) text = utf8;
            Py_DECREF(formatted);
        }
        PyErr_Clear();
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return text;
}

Request* requestOf(PyObject* capsule) {
    auto* request = static_cast<Request*>(PyCapsule_GetContext(capsule));
    if (!request && !PyErr_Occurred())
        PyErr_SetString(PyExc_RuntimeError, "the request of this object has ended");
    return request;
}

PyObject* hostError(int32_t rc, const char* what) {
    PyErr_Format(PyExc_OSError, "%s: %s (%d)", what, g_api->strerror(rc), static_cast<int>(rc));
    return nullptr;
}

// _read(handle, n) -> bytes (b"" at the end)
PyObject* pyRead(PyObject*, PyObject* args) {
    PyObject* capsule;
    Py_ssize_t cap;
    if (!PyArg_ParseTuple(args, "On", &capsule, &cap)) return nullptr;
    Request* request = requestOf(capsule);
    if (!request) return nullptr;
    PyObject* bytes = PyBytes_FromStringAndSize(nullptr, cap);
    if (!bytes) return nullptr;
    size_t got = 0;
    int32_t rc;
    Py_BEGIN_ALLOW_THREADS rc =
        g_api->read_body(request->req, PyBytes_AS_STRING(bytes), static_cast<size_t>(cap), &got);
    Py_END_ALLOW_THREADS if (rc != GW_OK) {
        Py_DECREF(bytes);
        return hostError(rc, "reading the request body");
    }
    if (_PyBytes_Resize(&bytes, static_cast<Py_ssize_t>(got)) < 0) return nullptr;
    return bytes;
}

// _write(handle, bytes)
PyObject* pyWrite(PyObject*, PyObject* args) {
    PyObject* capsule;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "Oy*", &capsule, &data)) return nullptr;
    Request* request = requestOf(capsule);
    int32_t rc = GW_OK;
    if (request) {
        Py_BEGIN_ALLOW_THREADS rc = g_api->write(request->req, data.buf, data.len);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&data);
    if (!request) return nullptr;
    if (rc != GW_OK) return hostError(rc, "writing the response");
    Py_RETURN_NONE;
}

// _start(handle, code, reason bytes, [(name, value)...]): strings already checked to be latin-1.
PyObject* pyStart(PyObject*, PyObject* args) {
    PyObject *capsule, *headers;
    unsigned int code;
    const char* reason;
    Py_ssize_t reasonLen;
    if (!PyArg_ParseTuple(args, "OIy#O!", &capsule, &code, &reason, &reasonLen, &PyList_Type,
                          &headers))
        return nullptr;
    Request* request = requestOf(capsule);
    if (!request) return nullptr;
    const Py_ssize_t count = PyList_GET_SIZE(headers);
    // latin-1 bytes of every name and value, kept alive until the host copied them.
    PyObject* encoded = PyList_New(0);
    if (!encoded) return nullptr;
    gw_header* list = new (std::nothrow) gw_header[count ? count : 1];
    bool ok = list != nullptr;
    for (Py_ssize_t i = 0; ok && i < count; ++i) {
        PyObject* item = PyList_GET_ITEM(headers, i);
        PyObject* name = PyUnicode_AsLatin1String(PyTuple_GET_ITEM(item, 0));
        PyObject* value = name ? PyUnicode_AsLatin1String(PyTuple_GET_ITEM(item, 1)) : nullptr;
        ok = value && PyList_Append(encoded, name) == 0 && PyList_Append(encoded, value) == 0;
        if (ok)
            list[i] = {{PyBytes_AS_STRING(name), static_cast<size_t>(PyBytes_GET_SIZE(name))},
                       {PyBytes_AS_STRING(value), static_cast<size_t>(PyBytes_GET_SIZE(value))}};
        Py_XDECREF(name);
        Py_XDECREF(value);
    }
    int32_t rc = GW_OK;
    if (ok) {
        Py_BEGIN_ALLOW_THREADS rc =
            g_api->start_response(request->req, code, {reason, static_cast<size_t>(reasonLen)},
                                  list, static_cast<size_t>(count), 0);
        Py_END_ALLOW_THREADS
    }
    delete[] list;
    Py_DECREF(encoded);
    if (!ok) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return nullptr;
    }
    if (rc != GW_OK) {
        PyErr_Format(PyExc_ValueError, "the gateway refused the response head: %s (%d)",
                     g_api->strerror(rc), static_cast<int>(rc));
        return nullptr;
    }
    Py_RETURN_NONE;
}

// _log(handle, text): wsgi.errors lines, at ERROR, tagged with the request.
PyObject* pyLog(PyObject*, PyObject* args) {
    PyObject* capsule;
    const char* text;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "Os#", &capsule, &text, &len)) return nullptr;
    Request* request = requestOf(capsule);
    if (!request) return nullptr;
    g_api->log(request->req, GW_LOG_ERROR, {text, static_cast<size_t>(len)});
    Py_RETURN_NONE;
}

PyMethodDef kMethods[] = {
    {"_read", pyRead, METH_VARARGS, nullptr},
    {"_write", pyWrite, METH_VARARGS, nullptr},
    {"_start", pyStart, METH_VARARGS, nullptr},
    {"_log", pyLog, METH_VARARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};
PyModuleDef kModule = {PyModuleDef_HEAD_INIT,
                       "_gateway_wsgi",
                       nullptr,
                       -1,
                       kMethods,
                       nullptr,
                       nullptr,
                       nullptr,
                       nullptr};

/// Starts the interpreter once per process (the first init, in the worker). Returns "" or why
/// not. Leaves the GIL released.
std::string startPython() {
    static std::once_flag once;
    static std::string failure;
    std::call_once(once, [] {
        // Extension modules (_json, ...) are linked against nothing: they expect libpython's
        // symbols global, while the host loaded this plugin (and so libpython) RTLD_LOCAL.
        Dl_info info;
        if (dladdr(reinterpret_cast<void*>(&Py_InitializeEx), &info) && info.dli_fname)
            dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
        Py_InitializeEx(0);  // 0: the host keeps its signal handlers
        PyObject* module = PyModule_Create(&kModule);
        PyObject* modules = PyImport_GetModuleDict();
        if (!module || PyDict_SetItemString(modules, "_gateway_wsgi", module) < 0) {
            failure = "cannot create the helper module";
        } else {
            PyObject* dict = PyModule_GetDict(module);
            PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins());
            // Named, so that tracebacks through the helpers say where they are.
            PyObject* code =
                Py_CompileString(kWsgiHelpers, "<wsgi.so wsgi_helpers.py>", Py_file_input);
            PyObject* result = code ? PyEval_EvalCode(code, dict, dict) : nullptr;
            Py_XDECREF(code);
            if (!result) failure = "helpers failed: " + takeTraceback();
            Py_XDECREF(result);
            g_helpers = module;
        }
        PyEval_SaveThread();
    });
    return failure;
}

std::string configValue(const gw_config* config, const char* key) {
    std::string value;
    for (uint32_t i = 0; i < config->count; ++i) {
        const gw_config_entry& entry = config->entries[i];
        if (entry.key.len == std::strlen(key) &&
            std::memcmp(entry.key.ptr, key, entry.key.len) == 0)
            value.assign(entry.value.ptr, entry.value.len);
    }
    return value;
}

int32_t fail(char* errbuf, size_t errbuf_len, const std::string& message) {
    std::snprintf(errbuf, errbuf_len, "%s", message.c_str());
    return GW_E_APP;
}

int32_t wsgiInit(const gw_host_api* api, const gw_config* config, void** state, char* errbuf,
                 size_t errbuf_len) {
    g_api = api;
    const std::string spec = configValue(config, "module");
    if (spec.empty())
        return fail(errbuf, errbuf_len, "no `module = package.module:app` in its config section");
    if (const std::string failure = startPython(); !failure.empty())
        return fail(errbuf, errbuf_len, failure);
    const std::string path = configValue(config, "path");
    auto* app = new App;
    const PyGILState_STATE gil = PyGILState_Ensure();
    app->callable = PyObject_CallMethod(g_helpers, "load", "ss", spec.c_str(), path.c_str());
    std::string traceback;
    if (!app->callable) traceback = takeTraceback();
    PyGILState_Release(gil);
    if (!app->callable) {
        // The whole traceback in the log; errbuf (the refusal) holds its last line.
        logLine(nullptr, GW_LOG_ERROR, "cannot load " + spec + ":\n" + traceback);
        delete app;
        const std::size_t last = traceback.rfind('\n');
        return fail(errbuf, errbuf_len,
                    "cannot load " + spec + ": " +
                        (last == std::string::npos ? traceback : traceback.substr(last + 1)));
    }
    *state = app;
    return GW_OK;
}

void wsgiFini(void* state) {
    auto* app = static_cast<App*>(state);
    // The interpreter stays up until the worker exits: finalising it with other instances (or
    // threads) alive is unsafe, and a worker ends its instances only on its way out.
    const PyGILState_STATE gil = PyGILState_Ensure();
    Py_XDECREF(app->callable);
    PyGILState_Release(gil);
    delete app;
}

/// Frees a request (GIL held): calls the iterable's close() — exactly once, also after errors.
void finish(Request* request) {
    if (request->iterable && PyObject_HasAttrString(request->iterable, "close")) {
        PyObject* result = PyObject_CallMethod(request->iterable, "close", nullptr);
        if (!result) logLine(request->req, GW_LOG_ERROR, "close() raised:\n" + takeTraceback());
        Py_XDECREF(result);
    }
    if (request->capsule) PyCapsule_SetContext(request->capsule, nullptr);
    Py_XDECREF(request->capsule);
    Py_XDECREF(request->response);
    Py_XDECREF(request->iterable);
    Py_XDECREF(request->iterator);
    Py_XDECREF(request->chunk);
    Py_XDECREF(request->first);
    delete request;
}

int32_t bodyNext(void* self, const gw_host_api*, gw_request*, gw_str* chunk) {
    auto* request = static_cast<Request*>(self);
    const PyGILState_STATE gil = PyGILState_Ensure();
    Py_CLEAR(request->chunk);
    int32_t rc = GW_OK;
    if (request->first) {
        request->chunk = request->first;  // the chunk pulled during call goes first
        request->first = nullptr;
    } else if (request->ended) {
        rc = GW_BODY_END;
    } else if (PyObject* item = PyIter_Next(request->iterator)) {
        if (PyBytes_Check(item)) {
            request->chunk = item;
        } else {
            PyErr_Format(PyExc_TypeError, "the application yielded %s, not bytes",
                         Py_TYPE(item)->tp_name);
            Py_DECREF(item);
        }
    } else if (!PyErr_Occurred()) {
        rc = GW_BODY_END;
    }
    if (PyErr_Occurred()) {
        // The head is out: the host closes the connection.
        logLine(request->req, GW_LOG_ERROR, "the response iterable raised:\n" + takeTraceback());
        rc = GW_E_APP;
    }
    if (request->chunk) {
        *chunk = {PyBytes_AS_STRING(request->chunk),
                  static_cast<size_t>(PyBytes_GET_SIZE(request->chunk))};
        if (request->ended) rc = GW_BODY_END;
    } else {
        *chunk = {nullptr, 0};
    }
    PyGILState_Release(gil);
    return rc;
}

void bodyClose(void* self) {
    const PyGILState_STATE gil = PyGILState_Ensure();
    finish(static_cast<Request*>(self));
    PyGILState_Release(gil);
}

/// The environ's (name, value) pairs as a list of str tuples: latin-1, as PEP 3333 asks.
PyObject* environItems(const gw_host_api* api, gw_request* req) {
    const size_t count = api->environ_count(req);
    PyObject* items = PyList_New(0);
    for (size_t i = 0; items && i < count; ++i) {
        gw_str name, value;
        if (api->environ_at(req, i, &name, &value) != GW_OK) continue;
        PyObject* pair = Py_BuildValue(
            "(NN)", PyUnicode_DecodeLatin1(name.ptr, static_cast<Py_ssize_t>(name.len), nullptr),
            PyUnicode_DecodeLatin1(value.ptr, static_cast<Py_ssize_t>(value.len), nullptr));
        if (!pair || PyList_Append(items, pair) < 0) Py_CLEAR(items);
        Py_XDECREF(pair);
    }
    return items;
}

int32_t wsgiCall(void* state, const gw_host_api* api, gw_request* req, gw_body* body) {
    auto* app = static_cast<App*>(state);
    auto* request = new (std::nothrow) Request;
    if (!request) return GW_E_NOMEM;
    request->req = req;
    const PyGILState_STATE gil = PyGILState_Ensure();
    int32_t rc = GW_E_APP;
    PyObject* environ = nullptr;
    PyObject* items = environItems(api, req);
    gw_str multiprocess{};
    api->get(req, "gateway.multiprocess", 20, &multiprocess);
    request->capsule = PyCapsule_New(request, "gateway.request", nullptr);
    if (request->capsule && PyCapsule_SetContext(request->capsule, request) == 0 && items)
        environ = PyObject_CallMethod(
            g_helpers, "environ", "OOOO", request->capsule, items, Py_True,
            multiprocess.len == 1 && multiprocess.ptr[0] == '1' ? Py_True : Py_False);
    if (environ)
        request->response = PyObject_CallMethod(g_helpers, "Response", "O", request->capsule);
    PyObject* startResponse =
        request->response ? PyObject_GetAttrString(request->response, "start_response") : nullptr;
    if (startResponse)
        request->iterable =
            PyObject_CallFunctionObjArgs(app->callable, environ, startResponse, nullptr);
    if (request->iterable) request->iterator = PyObject_GetIter(request->iterable);
    PyObject* first = request->iterator ? PyObject_CallMethod(g_helpers, "first_chunk", "OO",
                                                              request->response, request->iterator)
                                        : nullptr;
    if (first) {
        request->first = PyTuple_GET_ITEM(first, 0);
        Py_INCREF(request->first);
        request->ended = PyObject_IsTrue(PyTuple_GET_ITEM(first, 1));
        Py_DECREF(first);
        rc = GW_OK;
    } else {
        // Before the first byte: the host answers 500. SystemExit and KeyboardInterrupt too.
        logLine(req, GW_LOG_ERROR, "the application raised:\n" + takeTraceback());
    }
    Py_XDECREF(startResponse);
    Py_XDECREF(environ);
    Py_XDECREF(items);
    if (request->iterable) {
        // close() exactly once, by the host, whatever call returns.
        body->self = request;
        body->next = bodyNext;
        body->close = bodyClose;
    } else {
        finish(request);
    }
    PyGILState_Release(gil);
    return rc;
}

const gw_app kApp = {
    GW_APP_MAGIC,
    GW_ABI_VERSION,
    sizeof(gw_app),
    GW_APP_THREAD_SAFE,  // the GIL serialises Python; host I/O runs without it
    "wsgi",
    "0.1.0",
    "Python WSGI (PEP 3333) applications: module = package.module:app",
    wsgiInit,
    wsgiCall,
    wsgiFini,
};

}  // namespace

extern "C" GW_EXPORT const gw_app* gw_app_entry(uint32_t host_abi_version) {
    return GW_ABI_MAJOR(host_abi_version) == GW_ABI_VERSION_MAJOR ? &kApp : nullptr;
}
