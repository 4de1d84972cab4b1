"""The state the rules act on: struct-of-arrays, one owner per piece."""
