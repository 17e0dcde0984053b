// Only CXMLShim's C files include this: libxml2's headers pull in ICU types that clash
// with Foundation's copy when Swift sees both.
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
