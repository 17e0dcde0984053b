import Foundation

/// The JSON Schema (draft 2020-12) of the documents `JSONExporter` writes, schema version
/// 1.x. It is kept here, in the source tree (`Sources/DocumentExport/DocumentSchema.swift`),
/// so the library and the CLI can hand it out without a resource bundle: `write(to:)` or
/// `palidoc schema --output palidoc-document.schema.json` saves it. Every object is closed
/// (`additionalProperties: false`) so a field added to the model without the schema fails
/// the schema test.
///
/// `music` and `molecules` on a region are the results of the `music` (**kern) and
/// `molecule` (SMILES) tasks: `MusicScore` and `Molecule` with exactly their encoded fields
/// (optional ones absent when `nil`).
///
/// `textSource` on a page and `source` on a word say where the text came from: `pdf-text`
/// (the PDF's own text layer) or `model`; `pointWidth`, `pointHeight` and `rotation` give the
/// page's size on paper and its input rotation (schema 1.1).
public enum DocumentSchema {
    /// The schema's file name.
    public static let fileName = "palidoc-document.schema.json"

    /// Writes the schema to `url` atomically.
    public static func write(to url: URL) throws(ExportError) {
        try AtomicFile.write(json, to: url)
    }

    /// The schema text.
    public static let json = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://palidoc.invalid/schemas/palidoc-document-1.json",
          "title": "palidoc document",
          "type": "object",
          "required": ["schemaVersion", "source", "pages"],
          "additionalProperties": false,
          "properties": {
            "schemaVersion": {"type": "string", "pattern": "^1\\.[0-9]+$"},
            "source": {"$ref": "#/$defs/SourceFile"},
            "pages": {"type": "array", "items": {"$ref": "#/$defs/Page"}},
            "model": {"$ref": "#/$defs/ModelInfo"},
            "pipeline": {"$ref": "#/$defs/PipelineInfo"},
            "timings": {"$ref": "#/$defs/Timings"},
            "warnings": {"type": "array", "items": {"$ref": "#/$defs/DocumentWarning"}}
          },
          "$defs": {
            "DocumentWarning": {
              "type": "object",
              "required": ["code", "message", "details"],
              "additionalProperties": false,
              "properties": {
                "code": {"enum": ["repaired"]},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {"type": "string"}},
                "pagesRecovered": {"type": "integer", "minimum": 1}
              }
            },
            "SourceFile": {
              "type": "object",
              "required": ["path", "format"],
              "additionalProperties": false,
              "properties": {
                "path": {"type": "string", "minLength": 1},
                "format": {"enum": ["pdf", "tiff", "png", "jpeg"]},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "byteCount": {"type": "integer", "minimum": 0}
              }
            },
            "PixelRect": {
              "type": "object",
              "required": ["x", "y", "width", "height"],
              "additionalProperties": false,
              "properties": {
                "x": {"type": "integer"},
                "y": {"type": "integer"},
                "width": {"type": "integer", "minimum": 0},
                "height": {"type": "integer", "minimum": 0}
              }
            },
            "Page": {
              "type": "object",
              "required": ["number", "width", "height", "tiles", "regions"],
              "additionalProperties": false,
              "properties": {
                "number": {"type": "integer", "minimum": 1},
                "width": {"type": "integer", "minimum": 1},
                "height": {"type": "integer", "minimum": 1},
                "dpi": {"type": "number", "exclusiveMinimum": 0},
                "image": {"type": "string"},
                "tiles": {"type": "array", "items": {"$ref": "#/$defs/Tile"}},
                "regions": {"type": "array", "items": {"$ref": "#/$defs/Region"}},
                "textSource": {"$ref": "#/$defs/TextSource"},
                "pointWidth": {"type": "number", "exclusiveMinimum": 0},
                "pointHeight": {"type": "number", "exclusiveMinimum": 0},
                "rotation": {"enum": [0, 90, 180, 270]}
              }
            },
            "Tile": {
              "type": "object",
              "required": ["index", "rect", "padding", "isBlank"],
              "additionalProperties": false,
              "properties": {
                "index": {"type": "integer", "minimum": 0},
                "rect": {"$ref": "#/$defs/PixelRect"},
                "padding": {
                  "type": "object",
                  "required": ["left", "top", "right", "bottom"],
                  "additionalProperties": false,
                  "properties": {
                    "left": {"type": "integer", "minimum": 0},
                    "top": {"type": "integer", "minimum": 0},
                    "right": {"type": "integer", "minimum": 0},
                    "bottom": {"type": "integer", "minimum": 0}
                  }
                },
                "isBlank": {"type": "boolean"}
              }
            },
            "Region": {
              "type": "object",
              "required": ["id", "task", "words", "detections", "music", "molecules", "issues"],
              "additionalProperties": false,
              "properties": {
                "id": {"type": "string", "minLength": 1},
                "task": {"type": "string", "minLength": 1},
                "box": {"$ref": "#/$defs/PixelRect"},
                "tile": {"type": "integer", "minimum": 0},
                "prompt": {"type": "string"},
                "rawOutput": {"type": "string"},
                "text": {"type": "string"},
                "words": {"type": "array", "items": {"$ref": "#/$defs/Word"}},
                "table": {"$ref": "#/$defs/Table"},
                "detections": {"type": "array", "items": {"$ref": "#/$defs/Detection"}},
                "music": {"type": "array", "items": {"$ref": "#/$defs/MusicScore"}},
                "molecules": {"type": "array", "items": {"$ref": "#/$defs/Molecule"}},
                "issues": {"type": "array", "items": {"$ref": "#/$defs/TaskIssue"}}
              }
            },
            "Word": {
              "type": "object",
              "required": ["text"],
              "additionalProperties": false,
              "properties": {
                "text": {"type": "string"},
                "box": {"$ref": "#/$defs/PixelRect"},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "source": {"$ref": "#/$defs/TextSource"}
              }
            },
            "TextSource": {"enum": ["pdf-text", "model"]},
            "Detection": {
              "type": "object",
              "required": ["label", "box"],
              "additionalProperties": false,
              "properties": {
                "label": {"type": "string"},
                "box": {"$ref": "#/$defs/PixelRect"}
              }
            },
            "Table": {
              "type": "object",
              "required": ["rows", "columns", "headerRows", "cells"],
              "additionalProperties": false,
              "properties": {
                "rows": {"type": "integer", "minimum": 0},
                "columns": {"type": "integer", "minimum": 0},
                "headerRows": {"type": "integer", "minimum": 0},
                "cells": {"type": "array", "items": {"$ref": "#/$defs/Cell"}}
              }
            },
            "Cell": {
              "type": "object",
              "required": ["row", "column", "rowSpan", "columnSpan", "text", "html"],
              "additionalProperties": false,
              "properties": {
                "row": {"type": "integer", "minimum": 0},
                "column": {"type": "integer", "minimum": 0},
                "rowSpan": {"type": "integer", "minimum": 1},
                "columnSpan": {"type": "integer", "minimum": 1},
                "text": {"type": "string"},
                "html": {"type": "string"},
                "box": {"$ref": "#/$defs/PixelRect"}
              }
            },
            "MusicScore": {
              "type": "object",
              "required": [
                "text", "kern", "isValid", "problems", "spineCount", "maxSpineCount",
                "measureCount", "noteCount", "restCount", "chordCount"
              ],
              "additionalProperties": false,
              "properties": {
                "text": {"type": "string"},
                "kern": {"type": "string"},
                "isValid": {"type": "boolean"},
                "problems": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["message"],
                    "additionalProperties": false,
                    "properties": {
                      "line": {"type": "integer", "minimum": 1},
                      "message": {"type": "string"}
                    }
                  }
                },
                "spineCount": {"type": "integer", "minimum": 0},
                "maxSpineCount": {"type": "integer", "minimum": 0},
                "measureCount": {"type": "integer", "minimum": 0},
                "noteCount": {"type": "integer", "minimum": 0},
                "restCount": {"type": "integer", "minimum": 0},
                "chordCount": {"type": "integer", "minimum": 0}
              }
            },
            "Molecule": {
              "type": "object",
              "required": [
                "text", "smiles", "isValid", "problems", "atomCount", "bondCount",
                "componentCount"
              ],
              "additionalProperties": false,
              "properties": {
                "text": {"type": "string"},
                "smiles": {"type": "string"},
                "isValid": {"type": "boolean"},
                "problems": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["message"],
                    "additionalProperties": false,
                    "properties": {
                      "position": {"type": "integer", "minimum": 0},
                      "message": {"type": "string"}
                    }
                  }
                },
                "atomCount": {"type": "integer", "minimum": 0},
                "bondCount": {"type": "integer", "minimum": 0},
                "componentCount": {"type": "integer", "minimum": 0},
                "formula": {"type": "string"},
                "averageWeight": {"type": "number", "minimum": 0},
                "charge": {"type": "integer"}
              }
            },
            "TaskIssue": {
              "type": "object",
              "required": ["severity", "code", "message"],
              "additionalProperties": false,
              "properties": {
                "severity": {"enum": ["repaired", "warning", "unreadable"]},
                "code": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                "message": {"type": "string"},
                "offset": {"type": "integer", "minimum": 0}
              }
            },
            "ModelInfo": {
              "type": "object",
              "required": ["name", "family", "imageSize"],
              "additionalProperties": false,
              "properties": {
                "name": {"type": "string"},
                "family": {"enum": ["paligemma", "paligemma2"]},
                "imageSize": {"type": "integer", "minimum": 1},
                "dtype": {"type": "string"},
                "randomWeights": {"type": "boolean"}
              }
            },
            "PipelineInfo": {
              "type": "object",
              "required": ["name", "tasks", "palidocVersion"],
              "additionalProperties": false,
              "properties": {
                "name": {"type": "string"},
                "tasks": {"type": "array", "items": {"type": "string"}},
                "palidocVersion": {"type": "string"}
              }
            },
            "Timings": {
              "type": "object",
              "required": ["totalSeconds", "stages"],
              "additionalProperties": false,
              "properties": {
                "totalSeconds": {"type": "number", "minimum": 0},
                "stages": {
                  "type": "object",
                  "additionalProperties": {"type": "number", "minimum": 0}
                }
              }
            }
          }
        }
        """#
}
