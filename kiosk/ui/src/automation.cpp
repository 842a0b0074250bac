#include "buurtstem/ui/automation.hpp"

#include <cmath>
#include <cstdio>

#include "buurtstem/core/atomic_file.hpp"

namespace buurtstem::ui {

namespace {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out += buffer;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

} // namespace

void AutomationLog::begin_frame(std::string screen) {
    screen_ = std::move(screen);
    items_.clear();
    frame_fields_.clear();
    ++frame_;
}

void AutomationLog::add(AutomationItem item) {
    items_.push_back(std::move(item));
}

void AutomationLog::set_field(const std::string& name, std::string json_value) {
    fields_[name] = std::move(json_value);
}

void AutomationLog::set_frame_field(const std::string& name, std::string json_value) {
    frame_fields_[name] = std::move(json_value);
}

void AutomationLog::end_frame() {
    std::string body = "{\"screen\": " + json_string(screen_);
    for (const auto* fields : {&fields_, &frame_fields_}) {
        for (const auto& [name, value] : *fields) {
            body += ", " + json_string(name) + ": " + value;
        }
    }
    body += ", \"items\": [";
    for (size_t i = 0; i < items_.size(); ++i) {
        const AutomationItem& it = items_[i];
        body += (i ? ",\n  " : "\n  ");
        body += "{\"id\": " + json_string(it.id) + ", \"label\": " + json_string(it.label) +
                ", \"x\": " + std::to_string(std::lround(it.x)) +
                ", \"y\": " + std::to_string(std::lround(it.y)) +
                ", \"w\": " + std::to_string(std::lround(it.w)) +
                ", \"h\": " + std::to_string(std::lround(it.h)) +
                ", \"selected\": " + (it.selected ? "true" : "false") +
                ", \"lines\": " + std::to_string(it.lines) +
                ", \"broke_word\": " + (it.broke_word ? "true" : "false");
        if (it.image) {
            body += ", \"image\": {\"x\": " + std::to_string(std::lround(it.image_x)) +
                    ", \"y\": " + std::to_string(std::lround(it.image_y)) +
                    ", \"w\": " + std::to_string(std::lround(it.image_w)) +
                    ", \"h\": " + std::to_string(std::lround(it.image_h)) + "}";
        }
        body += "}";
    }
    body += "]}\n";
    pending_ = std::move(body);
}

void AutomationLog::publish() {
    if (pending_.empty() || pending_ == last_written_) {
        return;
    }
    // The frame number is left out of the comparison (it changes every frame) but written, so a reader
    // can tell a fresh map from the one before its tap.
    std::string with_frame = "{\"frame\": " + std::to_string(frame_) + ", " + pending_.substr(1);
    if (write_file_atomically(file_, with_frame)) {
        last_written_ = pending_;
    }
}

} // namespace buurtstem::ui
