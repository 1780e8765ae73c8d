"""Cost: budgets, anomaly detection and cost-allocation tags."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from archkit.spec.base import Name, SpecModel


class BudgetAlertSpec(SpecModel):
    """A budget notification."""

    threshold_percent: float = Field(
        gt=0, le=1000, description="Percent of the budget that triggers the alert."
    )
    type: Literal["ACTUAL", "FORECASTED"] = Field(default="ACTUAL", description="Actual or forecasted spend.")


class BudgetSpec(SpecModel):
    """A monthly cost budget with e-mail alerts."""

    amount: float = Field(gt=0, description="Budget amount.")
    currency: Literal["USD"] = Field(default="USD", description="Currency.")
    period: Literal["MONTHLY", "QUARTERLY", "ANNUALLY"] = Field(
        default="MONTHLY", description="Budget period."
    )
    alerts: list[BudgetAlertSpec] = Field(
        default=[
            BudgetAlertSpec(threshold_percent=80),
            BudgetAlertSpec(threshold_percent=100, type="FORECASTED"),
        ],
        description="Notifications.",
    )
    emails: list[str] = Field(default=[], description="Subscribers' e-mail addresses.")


class AnomalyDetectionSpec(SpecModel):
    """Cost Anomaly Detection monitor and subscription."""

    enabled: bool = Field(default=True, description="Create a cost anomaly monitor.")
    threshold_amount: float = Field(
        default=100, gt=0, description="Alert when an anomaly's impact exceeds this (USD)."
    )
    frequency: Literal["DAILY", "WEEKLY"] = Field(default="DAILY", description="Alert frequency.")
    emails: list[str] = Field(default=[], description="Subscribers' e-mail addresses.")


class CostSpec(SpecModel):
    """Cost monitoring; the compute, storage and transfer measures live on the resources they concern."""

    budgets: dict[Name, BudgetSpec] = Field(default={}, description="Budgets by name.")
    anomaly_detection: AnomalyDetectionSpec = Field(
        default_factory=AnomalyDetectionSpec, description="Cost anomaly detection."
    )
    cost_explorer: bool = Field(
        default=True, description="Cost Explorer with the cost-allocation tags activated."
    )
    allocation_tags: list[str] = Field(
        default=["Project", "Environment", "Owner"], description="Tag keys activated for cost allocation."
    )
