from .credentials import FundAPIKey, PersonalAccessToken, Scope

__all__ = ["FundAPIKey", "PersonalAccessToken", "Scope"]
