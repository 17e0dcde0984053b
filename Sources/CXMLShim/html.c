#include "CXMLShim.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>

static void copy_error(char *out, size_t capacity, const char *message) {
    if (out == NULL || capacity == 0) return;
    strncpy(out, message, capacity - 1);
    out[capacity - 1] = '\0';
}

static long count_named(xmlNode *node, const char *name) {
    long count = 0;
    for (xmlNode *cur = node; cur != NULL; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && xmlStrcasecmp(cur->name, BAD_CAST name) == 0) {
            count += 1;
        }
        count += count_named(cur->children, name);
    }
    return count;
}

long xmlshim_html_count_elements(const char *html, size_t length, const char *tagName,
                                 char *errorOut, size_t errorCapacity) {
    copy_error(errorOut, errorCapacity, "");
    if (length > (size_t)__INT_MAX__) {
        copy_error(errorOut, errorCapacity, "document larger than 2 GiB");
        return -1;
    }
    int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
    htmlDocPtr doc = htmlReadMemory(html, (int)length, NULL, "UTF-8", options);
    if (doc == NULL) {
        const xmlError *error = xmlGetLastError();
        copy_error(errorOut, errorCapacity, error && error->message ? error->message
                                                                    : "unparseable HTML");
        return -1;
    }
    long count = count_named(xmlDocGetRootElement(doc), tagName);
    xmlFreeDoc(doc);
    return count;
}
