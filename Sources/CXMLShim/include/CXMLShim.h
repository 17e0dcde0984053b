#ifndef CXMLSHIM_H
#define CXMLSHIM_H

// A deliberately tiny C surface over libxml2. Swift imports only this header, so libxml2's
// ICU-dependent headers never meet Foundation's own ICU copy in one Swift module.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Parses `length` bytes of HTML (libxml2's forgiving HTML parser, UTF-8) and counts the
/// elements whose lower-case tag name equals `tagName`. Returns -1 when nothing could be
/// parsed at all. `errorOut` (may be NULL, `errorCapacity` bytes) receives the first error.
long xmlshim_html_count_elements(const char *html, size_t length, const char *tagName,
                                 char *errorOut, size_t errorCapacity);

#ifdef __cplusplus
}
#endif

#endif
