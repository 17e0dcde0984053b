#ifndef CPOPPLERSPLASH_H
#define CPOPPLERSPLASH_H

// A small C surface over Poppler's C++ binding: open a PDF, count and measure its pages, and
// render them with Splash as `pdftoppm -cropbox -r DPI` does (RGB8, vector and text
// antialiasing on, no font hinting, Splash's default thin-line mode, white paper). Where the
// crop box is the media box the pixels are those of plain `pdftoppm -r DPI`; otherwise Splash
// also clips to the crop box, which can shade its edge pixels. Every function catches C++
// exceptions, and Poppler's messages never reach stderr: the last one on the calling thread is
// reported through `cps_error`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The outcome of a call.
typedef enum cps_status {
    /// Success.
    CPS_OK = 0,
    /// Poppler could not parse the document (or read the file).
    CPS_DAMAGED = 1,
    /// The document is encrypted and no password was given.
    CPS_PASSWORD_REQUIRED = 2,
    /// The document is encrypted and the password opens neither user nor owner access.
    CPS_WRONG_PASSWORD = 3,
    /// The page index is out of range, or the page object cannot be loaded.
    CPS_PAGE_UNAVAILABLE = 4,
    /// An argument is invalid (a NULL pointer, a non-positive DPI or size).
    CPS_INVALID_ARGUMENT = 5,
    /// Memory ran out.
    CPS_OUT_OF_MEMORY = 6,
    /// Splash returned no image, or one of another size than asked for.
    CPS_RENDER_FAILED = 7,
} cps_status;

/// A status with a one-line message (Poppler's last error where it gave one).
typedef struct cps_error {
    /// What happened.
    cps_status status;
    /// NUL-terminated, one line; empty on success.
    char message[256];
} cps_error;

/// An open PDF document (opaque). Not thread-safe: callers serialise access to one document.
typedef struct cps_document cps_document;

/// Routes Poppler's error and warning messages away from stderr (to the per-thread message
/// `cps_error` reports). Idempotent; the open functions call it too.
void cps_silence(void);

/// Opens the PDF at `path`. `password` (may be NULL) is tried as both owner and user
/// password, as pdftoppm's `-opw`/`-upw` would. Returns NULL with `error` filled on failure.
cps_document *cps_document_open_file(const char *path, const char *password, cps_error *error);

/// Opens a PDF held in memory (`bytes[0..<count]`, copied). Otherwise like
/// `cps_document_open_file`.
cps_document *cps_document_open_data(const void *bytes, size_t count, const char *password,
                                     cps_error *error);

/// Closes a document (NULL is ignored).
void cps_document_close(cps_document *document);

/// How many messages Poppler reported about the file's structure: every message while the
/// document was opened, and later ones about rebuilding its cross-reference table (Poppler
/// repairs some damage lazily, when a page is first loaded).
size_t cps_document_report_count(const cps_document *document);

/// Report `index` (one line, without Poppler's "error:" prefix; owned by the document, valid
/// until it is closed), or "" for an index out of range.
const char *cps_document_report(const cps_document *document, size_t index);

/// The number of pages (0 for a document without pages).
int cps_document_page_count(const cps_document *document);

/// The size of page `index` (zero-based) in points: its crop box (clipped to the media box),
/// width and height swapped for /Rotate 90 and 270.
cps_status cps_page_size(const cps_document *document, int index, double *width,
                         double *height, cps_error *error);

/// Renders rows `top ..< top + rows` and columns `0 ..< width` of page `index` at `dpi`
/// into `rgb` (`rows` rows of `width` × 3 bytes, R G B, `stride` bytes apart). For the whole
/// page pass `top` 0, and `width` and `rows` `ceil(points × dpi / 72)` as pdftoppm sizes it.
/// A band (`top > 0` or fewer rows) is placed from its own rounded origin, so a few
/// antialiased pixels may differ from the same rows of a whole-page render.
cps_status cps_render_page(const cps_document *document, int index, double dpi, int width,
                           int top, int rows, uint8_t *rgb, size_t stride, cps_error *error);

/// The clockwise rotation of page `index` (its /Rotate, normalised): 0, 90, 180 or 270.
cps_status cps_page_rotation(const cps_document *document, int index, int *degrees,
                             cps_error *error);

/// One word of a page's text layer, as `pdftotext -bbox` reports it (Poppler's TextOutputDev
/// word list in reading order): its box in points from the top-left corner of the page as
/// displayed (crop box, after /Rotate), and its text.
typedef struct cps_word {
    double x_min;
    double y_min;
    double x_max;
    double y_max;
    /// UTF-8, NUL-terminated; freed by `cps_words_free`.
    char *text;
    /// Nonzero when the next word follows on the same line after a space (zero after the
    /// last word of a line).
    int space_after;
} cps_word;

/// The words of page `index`'s text layer, visible or not, in reading order: `*words` (free
/// with `cps_words_free`) holds `*count` of them, NULL and 0 for a page without text.
cps_status cps_page_words(const cps_document *document, int index, cps_word **words,
                          size_t *count, cps_error *error);

/// Frees what `cps_page_words` returned (NULL is ignored).
void cps_words_free(cps_word *words, size_t count);

#ifdef __cplusplus
}
#endif

#endif
