// Result<T, E>: a value or an error, never both. Runtime failures travel as values (as in cpp-httplib's
// Result); asserts are kept for programmer errors only.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace buurtstem {

// Stands in for "no value" in Result<Unit, E>, so success-or-error functions use the same type.
struct Unit {};

template <class E>
struct Failure {
    E error;
};

template <class E>
Failure<std::decay_t<E>> fail(E&& error) {
    return {std::forward<E>(error)};
}

template <class T, class E>
class Result {
public:
    Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
    template <class F>
    Result(Failure<F> failure) : data_(std::in_place_index<1>, std::move(failure.error)) {}

    explicit operator bool() const { return data_.index() == 0; }
    bool ok() const { return data_.index() == 0; }

    T& value() & {
        assert(ok());
        return std::get<0>(data_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(data_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(data_));
    }
    const E& error() const {
        assert(!ok());
        return std::get<1>(data_);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }

private:
    std::variant<T, E> data_;
};

template <class E>
using Status = Result<Unit, E>;

} // namespace buurtstem
