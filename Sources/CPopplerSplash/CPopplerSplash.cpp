#include "CPopplerSplash.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

struct cps_document {
    std::unique_ptr<poppler::document> document;
    // What Poppler reported about the file: every message while opening, and later ones
    // about rebuilding the cross-reference table (Poppler repairs lazily, on first use).
    mutable std::vector<std::string> reports;
};

namespace {

// Poppler's most recent message on this thread (its error callback is process-wide).
thread_local std::string last_message;
// Every message on this thread since the current call began (a few at most are kept).
thread_local std::vector<std::string> call_messages;

void record_message(const std::string &message, void *) {
    last_message = message;
    if (call_messages.size() < 16) call_messages.push_back(message);
}

// Poppler prefixes messages with "error: " or "error (offset): "; the prefix says nothing to
// a user.
std::string clean_message(std::string text) {
    if (text.rfind("error", 0) == 0) {
        size_t colon = text.find(": ");
        if (colon != std::string::npos) text.erase(0, colon + 2);
    }
    // Poppler writes a line feed as "<0a>" in some messages.
    for (size_t at = text.find("<0a>"); at != std::string::npos; at = text.find("<0a>")) {
        text.erase(at, 4);
    }
    for (char &c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

std::string poppler_message(const char *fallback) {
    return clean_message(last_message.empty() ? fallback : last_message);
}

// Keeps this call's messages about rebuilding the cross-reference table in `document`.
void keep_repair_reports(const cps_document *document) {
    for (const std::string &message : call_messages) {
        if (message.find("reconstruct") != std::string::npos && document->reports.size() < 32) {
            document->reports.push_back(clean_message(message));
        }
    }
}

cps_status fail(cps_error *error, cps_status status, const std::string &message) {
    if (error != nullptr) {
        error->status = status;
        std::strncpy(error->message, message.c_str(), sizeof error->message - 1);
        error->message[sizeof error->message - 1] = '\0';
    }
    return status;
}

cps_status succeed(cps_error *error) { return fail(error, CPS_OK, ""); }

// Runs `body`, turning C++ exceptions into statuses: none may cross the C boundary.
template <typename Body> cps_status guarded(cps_error *error, Body body) {
    try {
        last_message.clear();
        call_messages.clear();
        return body();
    } catch (const std::bad_alloc &) {
        return fail(error, CPS_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception &exception) {
        return fail(error, CPS_RENDER_FAILED, exception.what());
    } catch (...) {
        return fail(error, CPS_RENDER_FAILED, "unknown C++ exception in Poppler");
    }
}

// Classifies what poppler::document's loaders returned: NULL (unparseable) or a document
// still locked (encrypted, and the password opened neither access).
cps_document *adopt(poppler::document *loaded, bool has_password, cps_error *error) {
    std::unique_ptr<poppler::document> document(loaded);
    if (!document) {
        fail(error, CPS_DAMAGED, poppler_message("Poppler cannot open the document"));
        return nullptr;
    }
    if (document->is_locked()) {
        if (has_password) {
            fail(error, CPS_WRONG_PASSWORD, "the password is wrong");
        } else {
            fail(error, CPS_PASSWORD_REQUIRED, "a password is required");
        }
        return nullptr;
    }
    succeed(error);
    std::vector<std::string> reports;
    for (const std::string &message : call_messages) reports.push_back(clean_message(message));
    return new cps_document{std::move(document), std::move(reports)};
}

cps_document *open_guarded(cps_error *error, poppler::document *(*load)(const void *, size_t,
                                                                        const std::string &),
                           const void *source, size_t count, const char *password) {
    cps_silence();
    cps_document *result = nullptr;
    guarded(error, [&] {
        std::string secret = password != nullptr ? password : "";
        result = adopt(load(source, count, secret), password != nullptr, error);
        return result != nullptr ? CPS_OK : error->status;
    });
    return result;
}

// Loads page `index`, or reports why not.
std::unique_ptr<poppler::page> load_page(const cps_document *document, int index,
                                         cps_error *error) {
    if (index < 0 || index >= document->document->pages()) {
        fail(error, CPS_PAGE_UNAVAILABLE, "page " + std::to_string(index + 1) + " does not exist");
        return nullptr;
    }
    std::unique_ptr<poppler::page> page(document->document->create_page(index));
    if (!page) {
        fail(error, CPS_PAGE_UNAVAILABLE,
             "page " + std::to_string(index + 1) + " cannot be loaded");
    }
    return page;
}

bool rotated_sideways(const poppler::page &page) {
    auto orientation = page.orientation();
    return orientation == poppler::page::landscape || orientation == poppler::page::seascape;
}

}  // namespace

extern "C" {

void cps_silence(void) {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(record_message, nullptr); });
}

cps_document *cps_document_open_file(const char *path, const char *password, cps_error *error) {
    if (path == nullptr || error == nullptr) {
        fail(error, CPS_INVALID_ARGUMENT, "no path");
        return nullptr;
    }
    // Checked here so the reason names the file whatever Poppler's process-wide error callback
    // reports at the time (other Poppler front ends in the process may replace it).
    if (access(path, R_OK) != 0) {
        fail(error, CPS_DAMAGED,
             std::string("cannot open ") + path + ": " + std::strerror(errno));
        return nullptr;
    }
    auto load = [](const void *source, size_t, const std::string &secret) {
        return poppler::document::load_from_file(static_cast<const char *>(source), secret,
                                                 secret);
    };
    return open_guarded(error, load, path, 0, password);
}

cps_document *cps_document_open_data(const void *bytes, size_t count, const char *password,
                                     cps_error *error) {
    if (bytes == nullptr || error == nullptr) {
        fail(error, CPS_INVALID_ARGUMENT, "no data");
        return nullptr;
    }
    auto load = [](const void *source, size_t size, const std::string &secret) {
        // load_from_data takes the bytes over (it swaps them into the document).
        const char *begin = static_cast<const char *>(source);
        poppler::byte_array data(begin, begin + size);
        return poppler::document::load_from_data(&data, secret, secret);
    };
    return open_guarded(error, load, bytes, count, password);
}

void cps_document_close(cps_document *document) { delete document; }

size_t cps_document_report_count(const cps_document *document) {
    return document != nullptr ? document->reports.size() : 0;
}

const char *cps_document_report(const cps_document *document, size_t index) {
    if (document == nullptr || index >= document->reports.size()) return "";
    return document->reports[index].c_str();
}

int cps_document_page_count(const cps_document *document) {
    if (document == nullptr) return 0;
    try {
        return document->document->pages();
    } catch (...) {
        return 0;
    }
}

cps_status cps_page_size(const cps_document *document, int index, double *width,
                         double *height, cps_error *error) {
    if (document == nullptr || width == nullptr || height == nullptr) {
        return fail(error, CPS_INVALID_ARGUMENT, "no document or no size to fill");
    }
    return guarded(error, [&] {
        auto page = load_page(document, index, error);
        keep_repair_reports(document);
        if (!page) return error != nullptr ? error->status : CPS_PAGE_UNAVAILABLE;
        poppler::rectf box = page->page_rect(poppler::crop_box);
        *width = box.width();
        *height = box.height();
        if (rotated_sideways(*page)) std::swap(*width, *height);
        return succeed(error);
    });
}

cps_status cps_render_page(const cps_document *document, int index, double dpi, int width,
                           int top, int rows, uint8_t *rgb, size_t stride, cps_error *error) {
    if (document == nullptr || rgb == nullptr || !(dpi > 0) || !std::isfinite(dpi) ||
        width <= 0 || top < 0 || rows <= 0 || stride < size_t(width) * 3) {
        return fail(error, CPS_INVALID_ARGUMENT, "invalid render arguments");
    }
    return guarded(error, [&] {
        auto page = load_page(document, index, error);
        if (!page) return error != nullptr ? error->status : CPS_PAGE_UNAVAILABLE;
        // pdftoppm's defaults: SplashOutputDev in RGB8 with vector and font antialiasing,
        // FreeType hinting off, the default thin-line mode, white paper.
        poppler::page_renderer renderer;
        renderer.set_render_hints(poppler::page_renderer::antialiasing |
                                  poppler::page_renderer::text_antialiasing);
        renderer.set_image_format(poppler::image::format_rgb24);
        renderer.set_line_mode(poppler::page_renderer::line_default);
        renderer.set_paper_color(0xffffffff);
        poppler::image image = renderer.render_page(page.get(), dpi, dpi, 0, top, width, rows);
        keep_repair_reports(document);
        if (!image.is_valid() || image.width() != width || image.height() != rows ||
            image.format() != poppler::image::format_rgb24) {
            return fail(error, CPS_RENDER_FAILED,
                        poppler_message("Splash produced no image of the requested size"));
        }
        const char *source = image.const_data();
        const size_t source_stride = size_t(image.bytes_per_row());
        for (int y = 0; y < rows; ++y) {
            std::memcpy(rgb + size_t(y) * stride, source + size_t(y) * source_stride,
                        size_t(width) * 3);
        }
        return succeed(error);
    });
}

cps_status cps_page_rotation(const cps_document *document, int index, int *degrees,
                             cps_error *error) {
    if (document == nullptr || degrees == nullptr) {
        return fail(error, CPS_INVALID_ARGUMENT, "no document or no rotation to fill");
    }
    return guarded(error, [&] {
        auto page = load_page(document, index, error);
        if (!page) return error != nullptr ? error->status : CPS_PAGE_UNAVAILABLE;
        switch (page->orientation()) {
        case poppler::page::landscape: *degrees = 90; break;
        case poppler::page::upside_down: *degrees = 180; break;
        case poppler::page::seascape: *degrees = 270; break;
        default: *degrees = 0; break;
        }
        return succeed(error);
    });
}

cps_status cps_page_words(const cps_document *document, int index, cps_word **words,
                          size_t *count, cps_error *error) {
    if (document == nullptr || words == nullptr || count == nullptr) {
        return fail(error, CPS_INVALID_ARGUMENT, "no document or no words to fill");
    }
    *words = nullptr;
    *count = 0;
    return guarded(error, [&] {
        auto page = load_page(document, index, error);
        if (!page) return error != nullptr ? error->status : CPS_PAGE_UNAVAILABLE;
        std::vector<poppler::text_box> boxes = page->text_list();
        if (boxes.empty()) return succeed(error);
        cps_word *out = static_cast<cps_word *>(std::calloc(boxes.size(), sizeof(cps_word)));
        if (out == nullptr) throw std::bad_alloc();
        size_t filled = 0;
        try {
            for (const poppler::text_box &box : boxes) {
                poppler::byte_array utf8 = box.text().to_utf8();
                char *text = static_cast<char *>(std::malloc(utf8.size() + 1));
                if (text == nullptr) throw std::bad_alloc();
                std::memcpy(text, utf8.data(), utf8.size());
                text[utf8.size()] = '\0';
                poppler::rectf rect = box.bbox();
                cps_word &word = out[filled];
                word.x_min = rect.left();
                word.y_min = rect.top();
                word.x_max = rect.right();
                word.y_max = rect.bottom();
                word.text = text;
                word.space_after = box.has_space_after() ? 1 : 0;
                ++filled;
            }
        } catch (...) {
            cps_words_free(out, filled);
            throw;
        }
        *words = out;
        *count = filled;
        return succeed(error);
    });
}

void cps_words_free(cps_word *words, size_t count) {
    if (words == nullptr) return;
    for (size_t i = 0; i < count; ++i) std::free(words[i].text);
    std::free(words);
}

}  // extern "C"
