"""The ground every layer stands on: errors, Japanese text and amounts, the name resolver, atomic files,
progress, interrupts, external identifier schemes. Imports nothing else of soyaku."""
