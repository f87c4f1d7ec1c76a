"""Dependencies between measures; a late milestone upstream flags the dependent measure."""
