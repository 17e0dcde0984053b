#include "CXMLShim.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(char *out, size_t capacity, const char *message) {
    if (out == NULL || capacity == 0) return;
    strncpy(out, message, capacity - 1);
    out[capacity - 1] = '\0';
}

static void last_error(char *out, size_t capacity, const char *fallback) {
    const xmlError *error = xmlGetLastError();
    set_error(out, capacity, error && error->message ? error->message : fallback);
}

void xmlshim_init(void) { xmlInitParser(); }

void *xmlshim_html_parse(const char *html, size_t length, char *errorOut,
                         size_t errorCapacity) {
    set_error(errorOut, errorCapacity, "");
    if (length > (size_t)__INT_MAX__) {
        set_error(errorOut, errorCapacity, "document larger than 2 GiB");
        return NULL;
    }
    // The options lxml's HTMLParser() uses by default (recover, no network, compact text
    // nodes); errors are recovered from, never printed.
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_COMPACT
                  | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
    xmlResetLastError();
    htmlDocPtr doc = htmlReadMemory(html, (int)length, NULL, "UTF-8", options);
    if (doc == NULL) last_error(errorOut, errorCapacity, "unparseable HTML");
    return doc;
}

void *xmlshim_xml_parse(const char *xml, size_t length, char *errorOut, size_t errorCapacity) {
    set_error(errorOut, errorCapacity, "");
    if (length > (size_t)__INT_MAX__) {
        set_error(errorOut, errorCapacity, "document larger than 2 GiB");
        return NULL;
    }
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlResetLastError();
    xmlDocPtr doc = xmlReadMemory(xml, (int)length, NULL, "UTF-8", options);
    if (doc == NULL) last_error(errorOut, errorCapacity, "not well-formed XML");
    return doc;
}

void xmlshim_doc_free(void *doc) {
    if (doc != NULL) xmlFreeDoc((xmlDocPtr)doc);
}

void *xmlshim_doc_root(void *doc) { return xmlDocGetRootElement((xmlDocPtr)doc); }

void *xmlshim_node_first_child(void *node) { return ((xmlNodePtr)node)->children; }

void *xmlshim_node_next(void *node) { return ((xmlNodePtr)node)->next; }

int xmlshim_node_kind(void *node) {
    switch (((xmlNodePtr)node)->type) {
    case XML_ELEMENT_NODE: return 1;
    case XML_TEXT_NODE: return 2;
    case XML_CDATA_SECTION_NODE: return 3;
    case XML_COMMENT_NODE: return 4;
    default: return 0;
    }
}

const char *xmlshim_node_name(void *node) {
    const xmlChar *name = ((xmlNodePtr)node)->name;
    return name ? (const char *)name : "";
}

const char *xmlshim_node_namespace(void *node) {
    xmlNsPtr ns = ((xmlNodePtr)node)->ns;
    return ns && ns->href ? (const char *)ns->href : "";
}

const char *xmlshim_node_text(void *node) {
    const xmlChar *content = ((xmlNodePtr)node)->content;
    return content ? (const char *)content : "";
}

void *xmlshim_node_first_attribute(void *node) {
    return ((xmlNodePtr)node)->type == XML_ELEMENT_NODE ? ((xmlNodePtr)node)->properties
                                                        : NULL;
}

void *xmlshim_attribute_next(void *attribute) { return ((xmlAttrPtr)attribute)->next; }

const char *xmlshim_attribute_name(void *attribute) {
    return (const char *)((xmlAttrPtr)attribute)->name;
}

char *xmlshim_attribute_value(void *attribute) {
    xmlAttrPtr attr = (xmlAttrPtr)attribute;
    xmlChar *value = xmlNodeListGetString(attr->doc, attr->children, 1);
    if (value == NULL) return NULL;
    char *copy = strdup((const char *)value);
    xmlFree(value);
    return copy;
}

void xmlshim_string_free(char *string) { free(string); }

// Collects schema and instance errors into one buffer (first error first).
typedef struct {
    char *out;
    size_t capacity;
    int count;
} error_sink;

static void collect_error(void *context, const char *format, ...) {
    error_sink *sink = (error_sink *)context;
    if (sink->out == NULL || sink->capacity == 0 || sink->count++ > 0) return;
    va_list args;
    va_start(args, format);
    vsnprintf(sink->out, sink->capacity, format, args);
    va_end(args);
    size_t n = strlen(sink->out);
    while (n > 0 && (sink->out[n - 1] == '\n' || sink->out[n - 1] == ' ')) sink->out[--n] = 0;
}

int xmlshim_validate_schema(const char *xml, size_t length, const char *schemaPath,
                            char *errorOut, size_t errorCapacity) {
    set_error(errorOut, errorCapacity, "");
    error_sink sink = {errorOut, errorCapacity, 0};
    xmlSchemaParserCtxtPtr parserContext = xmlSchemaNewParserCtxt(schemaPath);
    if (parserContext == NULL) {
        set_error(errorOut, errorCapacity, "cannot open the schema");
        return -1;
    }
    xmlSchemaSetParserErrors(parserContext, collect_error, collect_error, &sink);
    xmlSchemaPtr schema = xmlSchemaParse(parserContext);
    xmlSchemaFreeParserCtxt(parserContext);
    if (schema == NULL) {
        if (sink.count == 0) set_error(errorOut, errorCapacity, "unreadable schema");
        return -1;
    }
    xmlDocPtr doc = (xmlDocPtr)xmlshim_xml_parse(xml, length, errorOut, errorCapacity);
    if (doc == NULL) {
        xmlSchemaFree(schema);
        return 1;
    }
    xmlSchemaValidCtxtPtr validContext = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidErrors(validContext, collect_error, collect_error, &sink);
    int result = xmlSchemaValidateDoc(validContext, doc);
    xmlSchemaFreeValidCtxt(validContext);
    xmlSchemaFree(schema);
    xmlFreeDoc(doc);
    if (result < 0 && sink.count == 0) set_error(errorOut, errorCapacity, "validation failed");
    return result == 0 ? 0 : (result > 0 ? 1 : -1);
}
