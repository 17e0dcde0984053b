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

/// Initialises libxml2's global state; call once before parsing from several threads.
void xmlshim_init(void);

/// Parses `length` bytes of HTML with libxml2's HTML parser and the options lxml's
/// `HTMLParser()` uses (recover, no network, compact). Returns an opaque document to free
/// with `xmlshim_doc_free`, or NULL with a message in `errorOut`.
void *xmlshim_html_parse(const char *html, size_t length, char *errorOut,
                         size_t errorCapacity);

/// Parses `length` bytes of XML (no network, no DTD loading). Returns an opaque document to
/// free with `xmlshim_doc_free`, or NULL with the first error in `errorOut`.
void *xmlshim_xml_parse(const char *xml, size_t length, char *errorOut, size_t errorCapacity);

/// Frees a document from `xmlshim_html_parse` or `xmlshim_xml_parse`.
void xmlshim_doc_free(void *doc);

/// The root element of a document (NULL when there is none).
void *xmlshim_doc_root(void *doc);

/// A node's first child, or NULL.
void *xmlshim_node_first_child(void *node);

/// A node's next sibling, or NULL.
void *xmlshim_node_next(void *node);

/// A node's kind: 1 element, 2 text, 3 CDATA, 4 comment, 0 anything else.
int xmlshim_node_kind(void *node);

/// An element's local name (never NULL; owned by the document).
const char *xmlshim_node_name(void *node);

/// An element's namespace URI, or "" (owned by the document).
const char *xmlshim_node_namespace(void *node);

/// A text, CDATA or comment node's content, or "" (owned by the document).
const char *xmlshim_node_text(void *node);

/// An element's first attribute, or NULL.
void *xmlshim_node_first_attribute(void *node);

/// The next attribute, or NULL.
void *xmlshim_attribute_next(void *attribute);

/// An attribute's name (owned by the document).
const char *xmlshim_attribute_name(void *attribute);

/// An attribute's value with entities resolved; free with `xmlshim_string_free`.
char *xmlshim_attribute_value(void *attribute);

/// Frees a string returned by this shim.
void xmlshim_string_free(char *string);

/// Validates `length` bytes of XML against the W3C XML Schema at `schemaPath` (imports are
/// resolved relative to it, no network). Returns 0 when valid, 1 when invalid or not
/// well-formed, -1 when the schema cannot be used; `errorOut` gets the first error.
int xmlshim_validate_schema(const char *xml, size_t length, const char *schemaPath,
                            char *errorOut, size_t errorCapacity);

#ifdef __cplusplus
}
#endif

#endif
