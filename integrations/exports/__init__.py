"""Exports of a fund's data: 360Giving open data, CSV for spreadsheets, SEPA payment batches."""
