#include "buurtstem/consultation/response.hpp"

namespace buurtstem {

std::string_view channel_name(Channel channel) {
    switch (channel) {
    case Channel::Facilitated:
        return "facilitated";
    case Channel::Paper:
        return "paper";
    case Channel::Kiosk:
        break;
    }
    return "kiosk";
}

std::optional<Channel> parse_channel(std::string_view name) {
    for (const Channel channel : {Channel::Kiosk, Channel::Facilitated, Channel::Paper}) {
        if (channel_name(channel) == name) {
            return channel;
        }
    }
    return std::nullopt;
}

} // namespace buurtstem
